"""Staff pages for scheme rules and suspensions, mounted under /procedures/rules/."""

app_name = "rules"
urlpatterns: list = []
