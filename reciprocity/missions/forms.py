"""Plain forms: the catalogue's GET filters and the host's mission form (no ModelForm for writes)."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from reciprocity.agreements.models import Programme
from reciprocity.core.countries import country_choices
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.languages import language_choices
from reciprocity.core.widgets import QuickSelect
from reciprocity.domain.languages import CEFR_LEVELS
from reciprocity.missions.models import MAX_CAPACITY, Theme
from reciprocity.missions.photos import photo_check
from reciprocity.missions.selectors import CatalogueFilters
from reciprocity.missions.services import MAX_AGE, MAX_WEEKLY_HOURS, MissionData
from reciprocity.partners.models import Organisation
from reciprocity.schemes.models import Scheme

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The page number is bounded so a huge value cannot reach the database as an offset.
MAX_PAGE = 100_000


def _scheme_choices() -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in Scheme.objects.order_by("code")]


def _programme_choices() -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in Programme.objects.order_by("name")]


def _choices(form: forms.Form, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class CodeChoiceField(forms.ChoiceField):
    """A picker of codes that also takes the code typed in another case (old links: ?country=tg,
    ?language=EE), normalised to `upper` or lower case."""

    def __init__(self, *args: Any, upper: bool = False, **kwargs: Any) -> None:
        self.upper = upper
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        code = str(super().to_python(value)).strip()
        return code.upper() if self.upper else code.lower()


# The catalogue's orders (selectors.CATALOGUE_SORTS), as the sort picker names them.
SORT_CHOICES = [("", _("Start date")), ("places", _("Places left")), ("newest", _("Newest"))]


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters, read from the query string (works without JavaScript)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    # Pickers with names in the reader's language (core.countries, core.languages: one owner).
    # QuickSelect (core/widgets.py): the same HTML without a template per option; the two
    # long lists (about 250 countries and 180 languages) cost most of the catalogue's rendering.
    country = CodeChoiceField(label=_("Country"), required=False, upper=True, widget=QuickSelect)
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, choices=[("", _("All themes")), *Theme.choices]
    )
    language = CodeChoiceField(label=_("Language"), required=False, widget=QuickSelect)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    date_from = forms.DateField(label=_("Available from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Available until"), required=False, widget=DATE_WIDGET)
    starts_within = forms.BooleanField(
        label=_("Only missions starting within these dates"), required=False
    )
    places = forms.BooleanField(label=_("Only with places left"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "scheme", [("", _("All schemes")), *_scheme_choices()])
        _choices(self, "programme", [("", _("All programmes")), *_programme_choices()])
        _choices(self, "country", [("", _("All countries")), *country_choices()])
        _choices(self, "language", [("", _("All languages")), *language_choices()])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> CatalogueFilters:
        """The valid filters; an invalid one is ignored (and reported by the form's errors)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        invalid = set(self.errors)
        if "date_to" in invalid:
            invalid.add("date_from")

        def value(name: str, default: Any = "") -> Any:
            return default if name in invalid else (data.get(name) or default)

        return CatalogueFilters(
            q=value("q"), scheme=value("scheme"), country=value("country"), theme=value("theme"),
            language=value("language"), programme=value("programme"),
            date_from=value("date_from", None), date_to=value("date_to", None),
            starts_within=bool(value("starts_within", False)),
            with_places=bool(value("places", False)), sort=value("sort"),
        )

    def page_number(self) -> int:
        if "page" in self.errors or not hasattr(self, "cleaned_data"):
            return 1
        return self.cleaned_data.get("page") or 1


class MissionForm(forms.Form):
    """What a host fills in to create or edit a mission."""

    host = forms.TypedChoiceField(label=_("Host organisation"), coerce=int)
    scheme = forms.ChoiceField(label=_("Scheme"))
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    reference = forms.CharField(label=_("Reference"), max_length=40, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100)
    start_date = forms.DateField(label=_("Start"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("End"), widget=DATE_WIDGET)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=MAX_CAPACITY)
    weekly_hours = forms.IntegerField(
        label=_("Weekly hours"), min_value=1, max_value=MAX_WEEKLY_HOURS, required=False
    )
    languages = forms.CharField(
        label=_("Languages"), required=False, max_length=100,
        help_text=_("Two-letter codes separated by commas, such as “fr, en”."),
    )
    required_languages = forms.CharField(
        label=_("Required languages"), required=False, max_length=100,
        help_text=_(
            "What every volunteer must speak, with a minimum level from A1 to C2 if any, "
            "separated by commas, such as “fr B1, en”. Placement runs apply it strictly."
        ),
    )
    age_min = forms.IntegerField(
        label=_("Minimum age"), min_value=0, max_value=MAX_AGE, required=False,
        help_text=_("On the mission's start date; placement runs apply it strictly."),
    )
    age_max = forms.IntegerField(
        label=_("Maximum age"), min_value=0, max_value=MAX_AGE, required=False
    )
    max_per_nationality = forms.IntegerField(
        label=_("Maximum per nationality"), min_value=1, max_value=MAX_CAPACITY, required=False
    )
    gender_tolerance = forms.IntegerField(
        label=_("Gender balance tolerance"), min_value=0, max_value=MAX_CAPACITY, required=False,
        help_text=_("Largest accepted gap between women and men."),
    )

    photo = forms.FileField(
        label=_("Photo"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("Optional: a PNG or JPEG image of at most 2 MB, shown in the catalogue."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)

    # Service field names (MissionData) that differ from the form's.
    SERVICE_FIELDS = {"scheme_code": "scheme", "programme_code": "programme"}

    def __init__(self, *args: Any, hosts: list[Organisation], has_photo: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_photo:
            del self.fields["remove_photo"]
        _choices(self, "host", [(h.pk, h.name) for h in hosts])
        _choices(self, "scheme", _scheme_choices())
        _choices(self, "programme", [("", "—"), *_programme_choices()])
        _choices(self, "country", [("", "—"), *countries])

    def clean_photo(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("photo")
        if upload:
            try:
                photo_check(upload)
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return upload or None

    def photo_change(self) -> tuple[bool, UploadedFile | None]:
        """(whether the photo changes, the new one or None to remove it)."""
        upload = self.cleaned_data.get("photo")
        if upload:
            return True, upload
        return bool(self.cleaned_data.get("remove_photo")), None

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages", "")
        codes = [part.strip().lower() for part in raw.replace(";", ",").split(",") if part.strip()]
        bad = [c for c in codes if not (len(c) == 2 and c.isascii() and c.isalpha())]
        if bad:
            raise forms.ValidationError(
                _("Not two-letter language codes: %(codes)s.") % {"codes": ", ".join(bad)}
            )
        return codes

    def clean_required_languages(self) -> list[dict[str, str]]:
        """“fr B1, en” (or “fr:B1”) -> [{"code": "fr", "level": "B1"}, {"code": "en", "level": ""}]."""
        raw = self.cleaned_data.get("required_languages", "")
        entries, bad = [], []
        for part in raw.replace(";", ",").split(","):
            words = part.replace(":", " ").split()
            if not words:
                continue
            code, level = words[0].lower(), (words[1].upper() if len(words) > 1 else "")
            if (len(words) > 2 or not (len(code) == 2 and code.isascii() and code.isalpha())
                    or (level and level not in CEFR_LEVELS)):
                bad.append(part.strip())
            else:
                entries.append({"code": code, "level": level})
        if bad:
            raise forms.ValidationError(
                _("Not a language code with an optional level (A1 to C2): %(items)s.")
                % {"items": ", ".join(bad)}
            )
        return entries

    def mission_data(self) -> MissionData:
        d = self.cleaned_data
        return MissionData(
            scheme_code=d["scheme"], programme_code=d.get("programme") or "",
            title=d["title"], reference=d.get("reference") or "",
            description=d.get("description") or "", theme=d["theme"], country=d["country"],
            city=d["city"], start_date=d["start_date"], end_date=d["end_date"],
            capacity=d["capacity"], weekly_hours=d.get("weekly_hours"),
            languages=d.get("languages") or [],
            required_languages=d.get("required_languages") or [], age_min=d.get("age_min"),
            age_max=d.get("age_max"), max_per_nationality=d.get("max_per_nationality"),
            gender_tolerance=d.get("gender_tolerance"),
        )

    def add_service_errors(self, details: dict[str, list[str]]) -> None:
        """Show the service's refusals next to the fields they concern."""
        for name, messages in details.items():
            field_name = self.SERVICE_FIELDS.get(name, name)
            for message in messages:
                self.add_error(field_name if field_name in self.fields else None, message)

    @staticmethod
    def initial_from(data: MissionData, host_id: int) -> dict[str, Any]:
        return {
            "host": host_id, "scheme": data.scheme_code, "programme": data.programme_code,
            "title": data.title, "reference": data.reference, "description": data.description,
            "theme": data.theme, "country": data.country, "city": data.city,
            "start_date": data.start_date, "end_date": data.end_date,
            "capacity": data.capacity, "weekly_hours": data.weekly_hours,
            "languages": ", ".join(data.languages),
            "required_languages": ", ".join(
                f"{e.get('code', '')} {e.get('level') or ''}".strip()
                for e in data.required_languages
            ),
            "age_min": data.age_min,
            "age_max": data.age_max, "max_per_nationality": data.max_per_nationality,
            "gender_tolerance": data.gender_tolerance,
        }


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea)
