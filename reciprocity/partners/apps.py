from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "reciprocity.partners"
    label = "partners"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from reciprocity.partners.timezones import remember_time_zone

        # Pages show times in the organisation's zone, looked up once per sign-in.
        user_logged_in.connect(remember_time_zone, dispatch_uid="partners.remember_time_zone")
