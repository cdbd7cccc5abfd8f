"""Dated steps from the scheme's step templates (procedures/data/steps.json).

A template applies when all its `when` conditions hold. Its `due_from` / `due_by` are legal limits
computed from an anchor (mission start or end, or another step's date); a recommended date, when
the template has one, goes into the title, never into the window.
"""

from __future__ import annotations

from datetime import date, timedelta

from reciprocity.domain.dates import add_months

from .context import Context
from .rulebook import DateSpec, StepTemplate
from .types import EntryDocument, Finding, Step


def applies(template: StepTemplate, ctx: Context, entry: EntryDocument) -> bool:
    when = template.when
    if "entry_documents" in when and entry.code not in when["entry_documents"]:
        return False
    if "paths" in when and ctx.path.value not in when["paths"]:
        return False
    if "minor" in when and bool(when["minor"]) != ctx.minor:
        return False
    if "host_prefectoral_agrement" in when:
        fact = ctx.request.mission.host.prefectoral_agrement
        if fact is not bool(when["host_prefectoral_agrement"]):
            return False
    return True


class _Resolver:
    """Resolves date specs, following references to other steps (with a cycle guard)."""

    def __init__(self, ctx: Context, templates: list[StepTemplate]) -> None:
        self.ctx = ctx
        self.by_code: dict[str, StepTemplate] = {}
        for t in templates:
            self.by_code.setdefault(t.code, t)
        self.cache: dict[tuple[str, str], date | None] = {}
        self.active: set[tuple[str, str]] = set()

    def field(self, code: str, name: str) -> date | None:
        key = (code, name)
        if key in self.cache:
            return self.cache[key]
        template = self.by_code.get(code)
        if template is None or key in self.active:
            return None
        self.active.add(key)
        value = self.resolve(getattr(template, name))
        self.active.discard(key)
        self.cache[key] = value
        return value

    def resolve(self, spec: DateSpec | None) -> date | None:
        if spec is None:
            return None
        if spec.anchor == "start":
            base: date | None = self.ctx.start
        elif spec.anchor == "end":
            base = self.ctx.end
        else:
            code, _, name = spec.anchor.removeprefix("step:").partition(".")
            base = self.field(code, name) or self.ctx.start
        assert base is not None
        return add_months(base, spec.months) + timedelta(days=spec.days)


def build_steps(
    ctx: Context, entry: EntryDocument, today: date
) -> tuple[list[Step], list[Finding]]:
    templates = [t for t in ctx.rulebook.templates_for(ctx.scheme) if applies(t, ctx, entry)]
    resolver = _Resolver(ctx, templates)
    steps: list[Step] = []
    warnings: list[Finding] = []
    seen: set[str] = set()
    for template in templates:
        if template.code in seen:  # two variants of one step cannot both apply; keep the first
            continue
        seen.add(template.code)
        due_from = resolver.field(template.code, "due_from")
        due_by = resolver.field(template.code, "due_by")
        params: tuple[tuple[str, str], ...] = ()
        recommended = resolver.resolve(template.recommended)
        if recommended is not None:
            params = (("recommended", recommended.isoformat()),)
        documents = template.documents + (template.documents_minor if ctx.minor else ())
        steps.append(
            Step(
                code=template.code,
                title_key=template.title,
                owner=template.owner,
                due_from=due_from,
                due_by=due_by,
                documents=documents,
                title_params=params,
                source=template.source,
                confidence=template.confidence,
            )
        )
        if due_by is not None and due_by < today:
            warnings.append(
                Finding.of(
                    "deadline_passed",
                    step=template.code,
                    due_by=due_by.isoformat(),
                    today=today.isoformat(),
                )
            )
        if template.confidence == "unverified" and (due_from or due_by):
            warnings.append(Finding.of("step_to_be_confirmed", step=template.code))
    return steps, warnings
