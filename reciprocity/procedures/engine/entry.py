"""The entry document: which visa (if any) the volunteer needs to come to France.

The most favourable nationality applies. Order of the decision:
1. an EU/EEA/Swiss nationality, or residence in the host country -> `none`;
2. a stay of at most 90 days (inclusive) -> Schengen annexes: exempt, else a type C visa;
3. a longer stay -> the long-stay document of the scheme (entry_documents.json), except for the
   microstates exempt from the long-stay visa (unverified: `none` with a warning).
"""

from __future__ import annotations

from .context import Context
from .types import EntryDocument, Finding, Path

NONE = "none"
SHORT_EXEMPT = "short_stay_visa_exempt"
SHORT_VISA = "short_stay_visa"


def _document(ctx: Context, code: str, warnings: list[Finding], note: str = "") -> EntryDocument:
    info = ctx.rulebook.entry_documents.get(code)
    confidence = info.confidence if info else "verified"
    if confidence == "unverified":
        warnings.append(
            Finding.of(
                "entry_document_to_be_confirmed",
                document=code,
                note=note or (info.note if info else ""),
            )
        )
    return EntryDocument(code=code, source=info.source if info else "", confidence=confidence)


def determine_entry_document(ctx: Context) -> tuple[EntryDocument, list[Finding]]:
    volunteer = ctx.request.volunteer
    countries = ctx.rulebook.countries
    warnings: list[Finding] = []
    host = ctx.host_country
    if host != "FR":
        warnings.append(Finding.of("host_country_not_covered", country=host))
        if host in volunteer.nationalities:
            return _document(ctx, NONE, warnings), warnings
    if ctx.path is Path.FREE_MOVEMENT:
        return _document(ctx, NONE, warnings), warnings
    if ctx.path is Path.RESIDENT:
        warnings.append(Finding.of("residence_permit_required", scheme=ctx.scheme_label))
        return _document(ctx, NONE, warnings), warnings

    short_stay = ctx.days <= countries.short_stay_max_days
    if short_stay and ctx.scheme not in ctx.rulebook.long_stay_for_any_length:
        exempt = [n for n in volunteer.nationalities if n in countries.visa_exempt]
        if exempt:
            unconditional = [n for n in exempt if not countries.visa_exempt[n].conditional]
            if not unconditional:
                for n in exempt:
                    warnings.append(
                        Finding.of(
                            "visa_exemption_conditions",
                            country=n,
                            note=countries.visa_exempt[n].note,
                        )
                    )
            return _document(ctx, SHORT_EXEMPT, warnings), warnings
        residence = volunteer.residence_country
        if residence != host and residence in countries.schengen:
            # Schengen Convention art. 21: a residence permit of a Schengen state replaces the
            # short-stay visa (general knowledge, not re-verified in schengen-visa.md).
            warnings.append(Finding.of("schengen_residence_exemption", country=residence))
            return EntryDocument(SHORT_EXEMPT, confidence="unverified"), warnings
        unknown = [
            n
            for n in volunteer.nationalities
            if n not in countries.visa_required and n not in countries.free_movement
        ]
        for n in unknown:
            warnings.append(Finding.of("nationality_not_in_visa_lists", country=n))
        return _document(ctx, SHORT_VISA, warnings), warnings

    microstates = [n for n in volunteer.nationalities if n in countries.long_stay_visa_exempt]
    if microstates:
        if countries.long_stay_visa_exempt_confidence == "unverified":
            warnings.append(
                Finding.of(
                    "entry_document_to_be_confirmed",
                    document=NONE,
                    note=f"long-stay visa exemption of {', '.join(microstates)} rests on a 2015 consulate page",
                )
            )
        return EntryDocument(
            code=NONE, confidence=countries.long_stay_visa_exempt_confidence
        ), warnings

    for rule in ctx.rulebook.long_stay_rules.get(ctx.scheme, ()):
        if rule.max_months is None or ctx.span.exact <= rule.max_months:
            if rule.confidence == "unverified":
                warnings.append(
                    Finding.of(
                        "entry_document_to_be_confirmed", document=rule.document, note=rule.note
                    )
                )
                document = EntryDocument(rule.document, rule.source, "unverified")
            else:
                document = _document(ctx, rule.document, warnings)
            if ctx.span.exact > 12:
                warnings.append(Finding.of("residence_permit_after_visa"))
            return document, warnings
    # A scheme without long-stay data: the general rule for volunteering (France-Visas).
    warnings.append(
        Finding.of(
            "entry_document_to_be_confirmed",
            document="long_stay_visitor",
            note="no long-stay rule for this scheme",
        )
    )
    return EntryDocument("long_stay_visitor", confidence="unverified"), warnings
