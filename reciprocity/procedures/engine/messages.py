"""Every user-facing text of the engine, keyed by a stable code, in English and French.

Kept in one catalogue so the texts can move to gettext later without touching the engine:
findings carry a code and parameters, and are rendered here with `str.format`. Parameter values
that are themselves catalogue keys (`unit.*`, `scheme.*`) are translated too.
"""

from __future__ import annotations

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        # Reasons (eligibility)
        "age_below_minimum": "Age {age} on the start date is below the minimum of {minimum} for {scheme}.",
        "age_above_maximum": "Age {age} on the start date is above the maximum of {maximum} for {scheme}.",
        "duration_too_short": "The mission lasts {duration}; {scheme} requires at least {minimum} {unit}.",
        "duration_too_long": "The mission lasts {duration}; {scheme} allows at most {maximum} {unit}.",
        "weekly_hours_out_of_range": "{hours} hours a week is outside the range allowed for {scheme} (minimum {minimum}, maximum {maximum}).",
        "cumulative_duration_exceeded": "{prior} months already done plus {duration} for this mission exceed the cumulative maximum of {maximum} months for {scheme}.",
        "already_did_service_civique": "A Service Civique can be done only once, and the volunteer has already done one.",
        "mission_in_own_country": "A {scheme} cannot take place in the volunteer's country of nationality or residence ({country}).",
        "destination_not_allowed": "A {scheme} cannot take place in {country}: EU/EEA states are excluded, and France is open only to volunteers who are neither nationals of nor resident in an EU/EEA state.",
        "not_reciprocity_country": "Without residence in France, a non-EU/EEA national can do a Service Civique only as a national of a country where French volunteers serve; {countries} is not on that list.",
        "scheme_suspended": "New {scheme} missions are suspended from {start} to {end}, and the mission starts on {mission_start}.",
        "host_not_accredited": "The host organisation is not accredited for {scheme}.",
        "host_quota_exhausted": "The host organisation has already used {used} of its {authorised} authorised places.",
        # Warnings
        "deadline_passed": "Step {step} was due by {due_by}, which is before today ({today}).",
        "value_to_be_confirmed": "The rule {key} = {value} for {scheme} is to be confirmed (source marked unverified).",
        "entry_document_to_be_confirmed": "The entry document ({document}) is to be confirmed for this case: {note}",
        "country_to_be_confirmed": "{country} is on the reciprocity country list with unverified evidence: to be confirmed.",
        "suspension_to_be_confirmed": "The {scheme} suspension from {start} to {end} has unverified dates: to be confirmed.",
        "scheme_suspension_open_ended": "New {scheme} missions are suspended since {start} with no known end date; check before committing the volunteer.",
        "parental_authorisation_required": "The volunteer is {age} on the start date: a parental authorisation is required.",
        "reciprocity_minor": "The volunteer is {age} on the start date; in practice reciprocity volunteers are at least {minimum}.",
        "visa_exemption_conditions": "The visa exemption for nationals of {country} is conditional: {note}.",
        "residence_permit_required": "A volunteer without an EU/EEA/Swiss nationality who lives in France must hold a residence permit valid for the whole mission and accepted for {scheme}.",
        "residence_permit_after_visa": "The mission lasts more than 12 months: a residence permit (carte de séjour) must be requested at the préfecture before the long-stay visa expires.",
        "vsi_not_state_supported": "A VSI shorter than {minimum} months gets no State support.",
        "host_country_not_covered": "Entry rules are modelled for France only; check the rules of {country} for this mission.",
        "nationality_not_in_visa_lists": "{country} is not in the Schengen visa lists; a visa is assumed to be required.",
        "step_to_be_confirmed": "The dates of step {step} rest on unverified sources: to be confirmed.",
        # Entry documents
        "entry.none": "No entry document needed (free movement, or already resident)",
        "entry.short_stay_visa_exempt": "No visa for a short stay (visa-exempt nationality, at most 90 days in any 180)",
        "entry.short_stay_visa": "Schengen short-stay visa (type C)",
        "entry.long_stay_temporary_exemption": 'Long-stay visa VLS-T "dispense temporaire de carte de séjour"',
        "entry.long_stay_visitor": 'Long-stay visa VLS-TS "visiteur" (validated with OFII)',
        "entry.long_stay_volunteer": 'Long-stay visa VLS-T "volontaire"',
        # Step titles
        "step.reciprocity_request": "File the Service Civique reciprocity request on demarches-simplifiees.fr (before the visa steps; ASC lead time not known)",
        "step.invitation_letter": "Send the host attestation of support (prise en charge) needed for the visa application",
        "step.invitation_letter_workcamp": "Send the invitation letter within a week of receiving the visa form (by post about 6 weeks before the start if the embassy wants originals; never use the word 'work')",
        "step.contract_signature_before_visa": "Sign the volunteering contract (it states the visa and is part of the visa file)",
        "step.return_undertaking": "Sign the undertaking to return to the home country at the end of the mission",
        "step.visa_application_short": "Apply for the Schengen short-stay visa (decision in 15 to 45 days: apply preferably by {recommended})",
        "step.visa_application_long": "Apply for the long-stay visa at the French consulate; it must be issued before travel (apply preferably by {recommended})",
        "step.medical_visit": "Medical visit, compulsory before the contract is signed",
        "step.contract_signature": "Sign the Service Civique contract in ELISA (2 originals), with the tutor named",
        "step.asp_notification": "Send the signed ELISA notification to ASP with ID and bank details (the contract is final after ASP validation)",
        "step.insurance_sc_reciprocity": "Take out complementary health and repatriation insurance for the whole mission",
        "step.insurance_vsi": "Affiliate the volunteer to French social security and take out civil-liability and repatriation insurance",
        "step.insurance_workcamp": "Take out travel and medical insurance covering the whole stay",
        "step.insurance_esc": "Check the European Solidarity Corps insurance covers the whole stay",
        "step.accommodation": "Arrange accommodation for the whole mission and send the proof",
        "step.info_sheet": "Send the work-camp info sheet (at least 21 days before the start)",
        "step.ofii_validation": "Validate the VLS-TS with OFII within 3 months of entry (online, with the OFII tax)",
        "step.aps_request": "Request the APS (provisional residence authorisation) at the préfecture within 1 month of entry",
        "step.civic_training": "Civic and citizen training (theoretical part, at least 2 days) during the mission",
        "step.first_aid_training": "First-aid training (PSC1) during the mission",
        # Units and schemes used as parameters
        "unit.months": "months",
        "unit.days": "days",
        "scheme.service_civique": "Service Civique",
        "scheme.vsi": "VSI",
        "scheme.workcamp": "work camp",
        "scheme.esc": "European Solidarity Corps",
        # Command-line texts
        "cli.eligible": "Eligible",
        "cli.not_eligible": "Not eligible",
        "cli.reasons": "Reasons",
        "cli.entry_document": "Entry document",
        "cli.steps": "Steps",
        "cli.warnings": "Warnings",
        "cli.owner": "owner",
        "cli.from": "from",
        "cli.by": "by",
        "cli.documents": "documents",
        "cli.none": "none",
    },
    "fr": {
        "age_below_minimum": "L'âge au début de la mission ({age} ans) est inférieur au minimum de {minimum} ans pour {scheme}.",
        "age_above_maximum": "L'âge au début de la mission ({age} ans) dépasse le maximum de {maximum} ans pour {scheme}.",
        "duration_too_short": "La mission dure {duration} ; {scheme} exige au moins {minimum} {unit}.",
        "duration_too_long": "La mission dure {duration} ; {scheme} permet au plus {maximum} {unit}.",
        "weekly_hours_out_of_range": "{hours} heures par semaine sortent de la plage permise pour {scheme} (minimum {minimum}, maximum {maximum}).",
        "cumulative_duration_exceeded": "{prior} mois déjà effectués plus {duration} pour cette mission dépassent le maximum cumulé de {maximum} mois pour {scheme}.",
        "already_did_service_civique": "Un Service Civique ne peut être fait qu'une fois, et le volontaire en a déjà fait un.",
        "mission_in_own_country": "Un {scheme} ne peut pas se dérouler dans le pays de nationalité ou de résidence du volontaire ({country}).",
        "destination_not_allowed": "Un {scheme} ne peut pas se dérouler en {country} : les États de l'UE/EEE sont exclus, et la France n'est ouverte qu'aux volontaires ni ressortissants ni résidents d'un État de l'UE/EEE.",
        "not_reciprocity_country": "Sans résidence en France, un ressortissant hors UE/EEE ne peut faire un Service Civique qu'en étant ressortissant d'un pays où servent des volontaires français ; {countries} ne figure pas sur cette liste.",
        "scheme_suspended": "Les nouvelles missions de {scheme} sont suspendues du {start} au {end}, et la mission commence le {mission_start}.",
        "host_not_accredited": "La structure d'accueil n'est pas agréée pour {scheme}.",
        "host_quota_exhausted": "La structure d'accueil a déjà utilisé {used} de ses {authorised} places autorisées.",
        "deadline_passed": "L'étape {step} devait être faite au plus tard le {due_by}, date antérieure à aujourd'hui ({today}).",
        "value_to_be_confirmed": "La règle {key} = {value} pour {scheme} est à confirmer (source non vérifiée).",
        "entry_document_to_be_confirmed": "Le document d'entrée ({document}) est à confirmer dans ce cas : {note}",
        "country_to_be_confirmed": "{country} figure sur la liste des pays de réciprocité sur la base d'éléments non vérifiés : à confirmer.",
        "suspension_to_be_confirmed": "La suspension de {scheme} du {start} au {end} a des dates non vérifiées : à confirmer.",
        "scheme_suspension_open_ended": "Les nouvelles missions de {scheme} sont suspendues depuis le {start} sans date de fin connue ; vérifiez avant d'engager le volontaire.",
        "parental_authorisation_required": "Le volontaire a {age} ans au début de la mission : une autorisation parentale est requise.",
        "reciprocity_minor": "Le volontaire a {age} ans au début de la mission ; en pratique les volontaires en réciprocité ont au moins {minimum} ans.",
        "visa_exemption_conditions": "L'exemption de visa des ressortissants de {country} est conditionnelle : {note}.",
        "residence_permit_required": "Un volontaire sans nationalité UE/EEE/suisse qui vit en France doit détenir un titre de séjour valable pendant toute la mission et accepté pour {scheme}.",
        "residence_permit_after_visa": "La mission dure plus de 12 mois : une carte de séjour doit être demandée en préfecture avant l'expiration du visa de long séjour.",
        "vsi_not_state_supported": "Un VSI de moins de {minimum} mois ne bénéficie d'aucun soutien de l'État.",
        "host_country_not_covered": "Les règles d'entrée ne sont modélisées que pour la France ; vérifiez celles de {country} pour cette mission.",
        "nationality_not_in_visa_lists": "{country} ne figure pas dans les listes de visas Schengen ; un visa est supposé nécessaire.",
        "step_to_be_confirmed": "Les dates de l'étape {step} reposent sur des sources non vérifiées : à confirmer.",
        "entry.none": "Aucun document d'entrée (libre circulation, ou déjà résident)",
        "entry.short_stay_visa_exempt": "Pas de visa pour un court séjour (nationalité exemptée, 90 jours au plus sur 180)",
        "entry.short_stay_visa": "Visa Schengen de court séjour (type C)",
        "entry.long_stay_temporary_exemption": "Visa de long séjour VLS-T « dispense temporaire de carte de séjour »",
        "entry.long_stay_visitor": "Visa de long séjour VLS-TS « visiteur » (validé auprès de l'OFII)",
        "entry.long_stay_volunteer": "Visa de long séjour VLS-T « volontaire »",
        "step.reciprocity_request": "Déposer la demande d'accueil en réciprocité Service Civique sur demarches-simplifiees.fr (avant les démarches de visa ; délai de l'ASC inconnu)",
        "step.invitation_letter": "Envoyer l'attestation de prise en charge de la structure d'accueil nécessaire à la demande de visa",
        "step.invitation_letter_workcamp": "Envoyer la lettre d'invitation dans la semaine suivant la réception du formulaire de visa (par courrier environ 6 semaines avant le début si l'ambassade exige des originaux ; ne jamais employer le mot « travail »)",
        "step.contract_signature_before_visa": "Signer le contrat de volontariat (il mentionne le visa et fait partie du dossier de visa)",
        "step.return_undertaking": "Signer l'engagement de retour dans le pays d'origine à la fin de la mission",
        "step.visa_application_short": "Demander le visa Schengen de court séjour (décision en 15 à 45 jours : déposer de préférence avant le {recommended})",
        "step.visa_application_long": "Demander le visa de long séjour au consulat de France ; il doit être délivré avant le voyage (déposer de préférence avant le {recommended})",
        "step.medical_visit": "Visite médicale, obligatoire avant la signature du contrat",
        "step.contract_signature": "Signer le contrat de Service Civique dans ELISA (2 originaux), avec le tuteur désigné",
        "step.asp_notification": "Envoyer à l'ASP la notification ELISA signée avec pièce d'identité et RIB (le contrat n'est définitif qu'après validation)",
        "step.insurance_sc_reciprocity": "Souscrire une complémentaire santé et une assurance rapatriement pour toute la mission",
        "step.insurance_vsi": "Affilier le volontaire à la sécurité sociale française et souscrire responsabilité civile et rapatriement",
        "step.insurance_workcamp": "Souscrire une assurance voyage et maladie couvrant tout le séjour",
        "step.insurance_esc": "Vérifier que l'assurance du Corps européen de solidarité couvre tout le séjour",
        "step.accommodation": "Organiser le logement pour toute la mission et en envoyer le justificatif",
        "step.info_sheet": "Envoyer la fiche d'information du chantier (au moins 21 jours avant le début)",
        "step.ofii_validation": "Valider le VLS-TS auprès de l'OFII dans les 3 mois suivant l'entrée (en ligne, avec la taxe OFII)",
        "step.aps_request": "Demander l'APS (autorisation provisoire de séjour) en préfecture dans le mois suivant l'entrée",
        "step.civic_training": "Formation civique et citoyenne (partie théorique, au moins 2 jours) pendant la mission",
        "step.first_aid_training": "Formation aux premiers secours (PSC1) pendant la mission",
        "unit.months": "mois",
        "unit.days": "jours",
        "scheme.service_civique": "Service Civique",
        "scheme.vsi": "VSI",
        "scheme.workcamp": "chantier international",
        "scheme.esc": "Corps européen de solidarité",
        "cli.eligible": "Éligible",
        "cli.not_eligible": "Non éligible",
        "cli.reasons": "Motifs",
        "cli.entry_document": "Document d'entrée",
        "cli.steps": "Étapes",
        "cli.warnings": "Avertissements",
        "cli.owner": "responsable",
        "cli.from": "à partir du",
        "cli.by": "au plus tard le",
        "cli.documents": "pièces",
        "cli.none": "aucun",
    },
}

_TRANSLATED_PARAM_PREFIXES = ("unit.", "scheme.")


def render(key: str, lang: str, params: dict[str, str]) -> str:
    """The text for `key` in `lang` (falling back to English, then to the key itself)."""
    table = CATALOGUE.get(lang, CATALOGUE[DEFAULT_LANGUAGE])
    template = table.get(key) or CATALOGUE[DEFAULT_LANGUAGE].get(key) or key
    values = {
        name: (table.get(value, value) if value.startswith(_TRANSLATED_PARAM_PREFIXES) else value)
        for name, value in params.items()
    }
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
