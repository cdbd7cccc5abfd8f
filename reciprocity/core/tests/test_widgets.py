"""QuickSelect writes what Django's select templates write (up to whitespace and attribute order)."""

from html.parser import HTMLParser

from django import forms
from django_countries import countries

from reciprocity.core.widgets import QuickSelect


class Events(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, object]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((tag, sorted(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("/" + tag, None))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.events.append(("text", data))


def events(html: str) -> list[tuple[str, object]]:
    parser = Events()
    parser.feed(html)
    return parser.events


CHOICES = [("", "All <countries> & more"), *countries,
           ("Group", [("g1", 'One "quoted"'), ("g2", "Two")])]


class Both(forms.Form):
    django = forms.ChoiceField(choices=CHOICES)
    quick = forms.ChoiceField(choices=CHOICES, widget=QuickSelect)
    optional = forms.ChoiceField(choices=CHOICES, widget=QuickSelect, required=False)


def test_same_html_as_django_bound_unbound_and_in_a_group() -> None:
    for data in ({"django": "FR", "quick": "FR"}, {"django": "g1", "quick": "g1"}, None):
        form = Both(data)
        django = events(str(form["django"]).replace('"id_django"', '"id_quick"')
                        .replace('name="django"', 'name="quick"'))
        assert events(str(form["quick"])) == django
    assert ("select", [("id", "id_optional"), ("name", "optional")]) in events(
        str(Both()["optional"]))


def test_labels_and_values_are_escaped() -> None:
    html = str(Both()["quick"])
    assert "All &lt;countries&gt; &amp; more" in html
    assert "One &quot;quoted&quot;" in html
