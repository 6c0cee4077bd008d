"""The app's state as URL query parameters: encode and decode, no streamlit.

A link carries the role, the knob changes against the role's baseline and the methodology
changes against the published method, e.g.::

    ?role=bundled:ai-infrastructure-engineer&t2.score=4&ev.job_postings=2&growth=2&m.green_threshold=50

Parameters:
  role              role key ("bundled:<slug>", "stored:<name>")
  t<i>.score        task i's score (tasks numbered from 1 in the role's order)
  t<i>.share        task i's time share in percent (when shares changed, every task's share is listed)
  ev.<dimension>    evidence rating, e.g. ev.job_postings
  bar.<barrier>     barrier rating, e.g. bar.liability
  growth            AI growth correlation
  m.<parameter>     a Methodology parameter, e.g. m.green_threshold, m.clamp (0/1)
  mc.p, mc.jitter, mc.n, mc.seed
                    the Uncertainty page's settings (see SETTINGS), only when not the default

Only what the user set is written: a time share the share rule derived from the others is
not in the link, it is derived again when the link is opened (so the link stays short and
reopens to exactly the same numbers).

Task names are not in the URL (they may hold any text); the task number refers to the
role named by ``role``. Parameters outside this set (e.g. a tracking tag added by a chat
tool) are ignored; anything inside it that does not fit raises one :class:`UrlStateError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from .errors import AIJRIError, describe_validation_error
from .knobs import apply_changes, knob, knobs, task_score_id, task_share_id
from .methodology import DEFAULT, Methodology
from .model import BARRIERS, EVIDENCE_DIMENSIONS, RoleAssessment, parse_number
from .textfmt import exact

PARAM_ROLE = "role"
#: Links longer than this (all values together) are refused rather than parsed.
MAX_PARAMS_CHARS = 8000

# ASCII digits only; one spelling per task parameter (t1, never t01: see _knob_id_for).
_TASK_RE = re.compile(r"^t([0-9]{1,3})\.(score|share)$", re.ASCII)
_OURS_RE = re.compile(r"^(role|growth|t\d*\..*|t\d+|t.*\.(?:score|share)|ev\..*|bar\..*|m\..*|mc\..*)$")


class UrlStateError(AIJRIError):
    """A link whose parameters do not describe a valid state."""


@dataclass(frozen=True)
class Setting:
    """A page setting a link can carry: a number in a range (or one of ``choices``)."""

    param: str
    label: str
    default: float
    min: float
    max: float
    integer: bool = False
    choices: tuple[float, ...] = ()

    @property
    def allowed(self) -> str:
        if self.choices:
            return "one of " + ", ".join(exact(c) for c in self.choices)
        kind = "a whole number" if self.integer else "a number"
        return f"{kind} from {exact(self.min)} to {exact(self.max)}"

    def check(self, value: float) -> float:
        """The value as the page uses it, or a UrlStateError naming the allowed values."""
        v = float(value)
        ok = math.isfinite(v) and self.min <= v <= self.max and (not self.integer or v.is_integer())
        if self.choices:
            ok = ok and v in self.choices
        if not ok:
            raise UrlStateError(f"link parameter {self.param}={exact(v)}; allowed: {self.allowed}")
        return int(v) if self.integer else v


#: The Uncertainty page's settings. The share wobble's default equals
#: analyses.uncertainty.DEFAULT_SHARE_JITTER (a test keeps the two equal).
SETTINGS: dict[str, Setting] = {
    s.param: s
    for s in (
        Setting("mc.p", "chance that each rating is one step off", 0.3, 0.0, 1.0),
        Setting("mc.jitter", "time-share wobble", 0.2, 0.0, 0.5),
        Setting("mc.n", "draws", 100_000, 10_000, 200_000, integer=True, choices=(10_000, 50_000, 100_000, 200_000)),
        Setting("mc.seed", "random seed", 1, 0, 2**31 - 1, integer=True),
    )
}


@dataclass(frozen=True)
class UrlState:
    """What a link describes: a role key, knob changes and methodology changes."""

    role_key: str
    changes: dict[str, float] = field(default_factory=dict)
    methodology_changes: dict[str, object] = field(default_factory=dict)
    settings: dict[str, float] = field(default_factory=dict)  # page settings that differ from the default

    @property
    def methodology(self) -> Methodology:
        return DEFAULT.with_changes(**self.methodology_changes) if self.methodology_changes else DEFAULT


def knob_param(assessment: RoleAssessment, knob_id: str) -> str:
    """The query parameter name of a knob of this assessment."""
    k = knob(assessment, knob_id)
    if k.kind in ("score", "share"):
        index = [t.name for t in assessment.tasks].index(k.target) + 1
        return f"t{index}.{k.kind}"
    if k.kind == "evidence":
        return f"ev.{k.target}"
    if k.kind == "barrier":
        return f"bar.{k.target}"
    return "growth"


def methodology_changes(methodology: Methodology) -> dict[str, object]:
    """Parameters that differ from the published method, in field order."""
    base = DEFAULT.model_dump()
    return {k: v for k, v in methodology.model_dump().items() if v != base[k]}


def encode_state(
    role_key: str,
    assessment: RoleAssessment,
    changes: Mapping[str, float] | None = None,
    methodology: Methodology | Mapping[str, object] | None = None,
    settings: Mapping[str, float] | None = None,
) -> dict[str, str]:
    """Query parameters for a role (its baseline ``assessment``), knob changes and a methodology.

    ``changes`` are the knob values the user set (as the state keeps them: a time share the
    share rule derives is not among them). ``methodology`` is a Methodology or a mapping of
    changed parameters; ``settings`` maps SETTINGS names to values (defaults are left out).
    """
    params: dict[str, str] = {PARAM_ROLE: role_key}
    changes = dict(changes or {})
    order = [k.id for k in knobs(assessment)]
    for kid in order:
        if kid in changes:
            params[knob_param(assessment, kid)] = exact(changes[kid])
    unknown = [kid for kid in changes if kid not in order]
    if unknown:
        raise UrlStateError(f"cannot put knob {unknown[0]!r} in a link: the role has no such knob")
    is_method = isinstance(methodology, Methodology)
    mchanges = methodology_changes(methodology) if is_method else dict(methodology or {})
    for name, value in mchanges.items():
        if isinstance(value, bool):
            params[f"m.{name}"] = "1" if value else "0"
        else:
            params[f"m.{name}"] = exact(value)
    for name, value in (settings or {}).items():
        spec = SETTINGS[name]
        v = spec.check(value)
        if v != spec.default:
            params[name] = exact(v)
    return params


def methodology_error_text(exc: ValidationError, prefix: str = "method") -> str:
    """One line for an invalid Methodology: the parameter, what was given, what is allowed."""
    first = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in first.get("loc", ()))
    msg = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    spec = Methodology.model_fields.get(loc)
    bounds = ""
    if spec is not None and spec.annotation is not bool:
        low, high = Methodology.bounds(loc)
        bounds = f"; allowed: {low:g} to {high:g}"
    where = f"{loc}: " if loc else ""
    return f"{prefix}: {where}{msg}{bounds}"


def _single(params: Mapping[str, str | Sequence[str]], name: str) -> str:
    value = params[name]
    if isinstance(value, str):
        return value
    values = list(value)
    if len(values) != 1:
        raise UrlStateError(f"link parameter {name!r} is given {len(values)} times; allowed: once")
    return str(values[0])


def _parse_number(name: str, text: str, allowed: str) -> float:
    try:
        return parse_number(text)
    except ValueError as exc:
        raise UrlStateError(f"link parameter {name}={text[:40]!r} {exc}; allowed: {allowed}") from None


def _knob_id_for(assessment: RoleAssessment, name: str) -> str:
    m = _TASK_RE.match(name)
    if m:
        if m.group(1) != str(int(m.group(1))):
            raise UrlStateError(
                f"link parameter {name!r}: task numbers are written without leading zeros;"
                f" allowed: t{int(m.group(1))}.{m.group(2)}"
            )
        index = int(m.group(1))
        n = len(assessment.tasks)
        if not 1 <= index <= n:
            raise UrlStateError(f"link parameter {name!r}: the role has {n} tasks; allowed: t1 to t{n}")
        task = assessment.tasks[index - 1].name
        if m.group(2) == "share" and n < 2:
            raise UrlStateError(f"link parameter {name!r}: a role with one task has no time share to change")
        return task_score_id(task) if m.group(2) == "score" else task_share_id(task)
    if name.startswith("ev."):
        dim = name[3:]
        if dim not in EVIDENCE_DIMENSIONS:
            raise UrlStateError(f"link parameter {name!r}: unknown evidence dimension; allowed: {', '.join(EVIDENCE_DIMENSIONS)}")
        return f"evidence:{dim}"
    if name.startswith("bar."):
        bar = name[4:]
        if bar not in BARRIERS:
            raise UrlStateError(f"link parameter {name!r}: unknown barrier; allowed: {', '.join(BARRIERS)}")
        return f"barrier:{bar}"
    if name == "growth":
        return "growth"
    raise UrlStateError(f"link parameter {name!r} is not recognised; allowed: t<n>.score, t<n>.share, ev.<dimension>, "
                        "bar.<barrier>, growth, m.<method parameter>")


def _methodology_value(name: str, text: str) -> object:
    fields = Methodology.model_fields
    if name not in fields:
        raise UrlStateError(f"link parameter m.{name!r}: unknown method parameter; allowed: {', '.join(fields)}")
    annotation = fields[name].annotation
    if annotation is bool:
        t = text.strip().lower()
        if t in ("1", "true", "yes", "on"):
            return True
        if t in ("0", "false", "no", "off"):
            return False
        raise UrlStateError(f"link parameter m.{name}={text[:40]!r}; allowed: 0 or 1")
    v = _parse_number(f"m.{name}", text, "a number")
    if annotation is int:
        if not v.is_integer():
            raise UrlStateError(f"link parameter m.{name}={text[:40]!r} is not a whole number")
        return int(v)
    return v


def decode_state(
    params: Mapping[str, str | Sequence[str]],
    resolve_role: Callable[[str], RoleAssessment],
    default_role: str,
) -> UrlState:
    """The state a link describes, fully validated, or one UrlStateError.

    ``resolve_role(key)`` returns the baseline assessment of a role key and raises an
    AIJRIError for an unknown key. Without a ``role`` parameter the default role is used.
    """
    ours = {k: v for k, v in params.items() if _OURS_RE.match(str(k))}
    total = sum(len(str(k)) + sum(len(x) for x in ([v] if isinstance(v, str) else v)) for k, v in ours.items())
    if total > MAX_PARAMS_CHARS:
        raise UrlStateError(f"the link's parameters are {total:,} characters long; allowed: at most {MAX_PARAMS_CHARS:,}")
    role_key = _single(ours, PARAM_ROLE).strip() if PARAM_ROLE in ours else default_role
    try:
        base = resolve_role(role_key)
    except AIJRIError as exc:
        raise UrlStateError(f"link parameter role={role_key[:80]!r}: {exc}") from None
    changes: dict[str, float] = {}
    mchanges: dict[str, object] = {}
    settings: dict[str, float] = {}
    for name in ours:
        if name == PARAM_ROLE:
            continue
        text = _single(ours, name)
        if name.startswith("mc."):
            spec = SETTINGS.get(name)
            if spec is None:
                raise UrlStateError(f"link parameter {name!r}: unknown setting; allowed: {', '.join(SETTINGS)}")
            settings[name] = spec.check(_parse_number(name, text, spec.allowed))
            continue
        if name.startswith("m."):
            mchanges[name[2:]] = _methodology_value(name[2:], text)
            continue
        kid = _knob_id_for(base, name)
        k = knob(base, kid)
        v = _parse_number(name, text, k.range_text)
        try:
            changes[kid] = k.check(v)
        except AIJRIError as exc:
            raise UrlStateError(f"link parameter {name}: {str(exc).split(': ', 1)[-1]}") from None
    order = [k.id for k in knobs(base)]
    changes = {kid: changes[kid] for kid in order if kid in changes}
    try:
        apply_changes(base, changes)
    except AIJRIError as exc:
        raise UrlStateError(f"link: {exc}") from None
    except ValidationError as exc:
        raise UrlStateError(describe_validation_error(exc, context="link")) from None
    if mchanges:
        try:
            DEFAULT.with_changes(**mchanges)
        except ValidationError as exc:
            raise UrlStateError(methodology_error_text(exc, prefix="link method parameters")) from None
    settings = {n: v for n, v in settings.items() if v != SETTINGS[n].default}
    return UrlState(role_key=role_key, changes=changes, methodology_changes=mchanges, settings=settings)
