"""The app's state as URL query parameters: encode and decode, no streamlit.

A link carries the role, the knob changes against the role's baseline and the methodology
changes against the published method, e.g.::

    ?role=bundled:ai-infrastructure-engineer&t2.score=4&ev.job_postings=2&growth=2&m.green_threshold=50

Parameters:
  role              role key ("bundled:<slug>", "stored:<name>")
  t<i>.score        task i's score (tasks numbered from 1 in the role's order)
  t<i>.share        task i's time share in percent (only the shares the user set, see below)
  t<i>.mode         task i's mode as a word: augmentation, displacement, not_involved
  t<i>.remove       1 (no other spelling): task i is removed from the role (its time goes to the others)
  n<j>.name, n<j>.share, n<j>.score[, n<j>.mode]
                    a task the scenario adds (numbered from 1 in the order added; name, share
                    and score are required, the mode defaults to augmentation)
  curves            the inputs whose response curves the Explorer draws, in order, at most 6,
                    e.g. curves=t1.score,n1.share,ev.job_postings,growth
  analysis          the analysis the Explorer shows under its charts (see ANALYSES): breakeven,
                    goal or curves; only written when it is not the link's default (curves when
                    the link names curves, breakeven otherwise)
  ev.<dimension>    evidence rating, e.g. ev.job_postings
  bar.<barrier>     barrier rating, e.g. bar.liability
  growth            AI growth correlation
  m.<parameter>     a Methodology parameter, e.g. m.green_threshold, m.clamp (1 or 0, no other spelling)
  mc.p, mc.jitter, mc.n, mc.seed
                    the Uncertainty page's settings (see SETTINGS), only when not the default

Only what the user set is written: a time share the share rule derived from the others is
not in the link, it is derived again when the link is opened (so the link stays short and
reopens to exactly the same numbers).

The role's own task names are not in the URL; the task number refers to the role named by
``role``. An added task's name is (``n<j>.name``, cleaned as every task name is). Parameters outside this set (e.g. a tracking tag added by a chat
tool) are ignored; anything inside it that does not fit raises one :class:`UrlStateError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from .errors import AIJRIError, describe_validation_error
from .knobs import (
    MODE_CODES,
    KnobId,
    apply_changes,
    knob,
    knobs,
    reshape,
    task_knob,
    task_mode_id,
    task_of,
    task_remove_id,
    task_score_id,
    task_share_id,
)
from .methodology import DEFAULT, Methodology
from .model import BARRIERS, EVIDENCE_DIMENSIONS, RoleAssessment, canonical_changes, clean_name, parse_number
from .textfmt import exact

PARAM_ROLE = "role"
PARAM_CURVES = "curves"
PARAM_ANALYSIS = "analysis"
#: The analyses the Explorer shows under its charts, as a link names them (in the picker's order).
ANALYSES = ("breakeven", "goal", "curves")
#: Response curves a link may ask for at most (the Explorer draws as many).
MAX_CURVES = 6
#: Links longer than this (all values together) are refused rather than parsed.
MAX_PARAMS_CHARS = 8000

# ASCII digits only; one spelling per task parameter (t1, never t01: see _knob_id_for).
_TASK_RE = re.compile(r"^t([0-9]{1,3})\.(score|share|mode|remove)$", re.ASCII)
_NEW_RE = re.compile(r"^n([0-9]{1,3})\.(name|score|share|mode)$", re.ASCII)
_OURS_RE = re.compile(
    r"^(role|growth|curves|analysis|t\d*\..*|t\d+|t.*\.(?:score|share|mode|remove)|n\d*\..*|n\d+|ev\..*|bar\..*|m\..*|mc\..*)$"
)
_MODE_WORDS = ", ".join(m.value for m in MODE_CODES)


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
    curves: tuple[str, ...] = ()  # knob ids whose response curves the Explorer draws
    analysis: str = ""  # one of ANALYSES other than the link's default (see default_analysis), else ""

    @property
    def methodology(self) -> Methodology:
        return DEFAULT.with_changes(**self.methodology_changes) if self.methodology_changes else DEFAULT


def default_analysis(curves: Sequence[str]) -> str:
    """The analysis a link without ``analysis=`` opens on: the response curves when it names some."""
    return "curves" if curves else "breakeven"


def knob_param(assessment: RoleAssessment, knob_id: str, added: Sequence[str] = ()) -> str:
    """The query parameter name of a knob of this assessment (``t<i>.score``, ``ev.<dimension>``...).

    ``added``: names of the tasks a scenario adds, in order; their knobs are ``n<j>.score`` and
    ``n<j>.share``.
    """
    task = task_of(knob_id)
    if task is not None:
        name, kind = task.target, task.field
        names = [t.name for t in assessment.tasks]
        if name in names and kind in ("score", "share"):
            knob(assessment, knob_id)  # a role with one task has no share knob
            return f"t{names.index(name) + 1}.{kind}"
        if name in added and kind in ("score", "share"):
            return f"n{list(added).index(name) + 1}.{kind}"
        raise UrlStateError(f"cannot put knob {knob_id!r} in a link: the role has no such knob")
    k = knob(assessment, knob_id)
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
    curves: Sequence[str] = (),
    analysis: str = "",
) -> dict[str, str]:
    """Query parameters for a role (its baseline ``assessment``), knob changes and a methodology.

    ``changes`` are the knob values the user set (as the state keeps them: a time share the
    share rule derives is not among them). ``methodology`` is a Methodology or a mapping of
    changed parameters; ``settings`` maps SETTINGS names to values (defaults are left out);
    ``curves`` are knob ids whose response curves are drawn (those that are not inputs of the
    role as the changes leave it are left out, as are any beyond MAX_CURVES); ``analysis`` is
    one of ANALYSES (written only when it is not the link's default, see default_analysis).
    """
    params: dict[str, str] = {PARAM_ROLE: role_key}
    try:
        changes = canonical_changes(dict(changes or {}))  # task names as the role keeps them
        added = reshape(assessment, changes).added
        current = apply_changes(assessment, changes)
    except ValidationError as exc:  # before ValueError, which it is a kind of
        raise UrlStateError(describe_validation_error(exc, context="cannot put these changes in a link")) from None
    except (AIJRIError, ValueError) as exc:  # ValueError: two spellings of one input (canonical_changes)
        raise UrlStateError(f"cannot put these changes in a link: {exc}") from None
    written: set[str] = set()
    for kid in (k.id for k in knobs(assessment)):
        if kid in changes:
            params[knob_param(assessment, kid)] = exact(changes[kid])
            written.add(kid)
    for i, t in enumerate(assessment.tasks, 1):
        if task_mode_id(t.name) in changes:
            params[f"t{i}.mode"] = MODE_CODES[int(changes[task_mode_id(t.name)])].value
            written.add(task_mode_id(t.name))
        if task_remove_id(t.name) in changes:
            params[f"t{i}.remove"] = "1"
            written.add(task_remove_id(t.name))
    for j, name in enumerate(added, 1):
        params[f"n{j}.name"] = name
        params[f"n{j}.share"] = exact(changes[task_share_id(name)])
        params[f"n{j}.score"] = exact(changes[task_score_id(name)])
        written |= {task_share_id(name), task_score_id(name)}
        if task_mode_id(name) in changes:
            params[f"n{j}.mode"] = MODE_CODES[int(changes[task_mode_id(name)])].value
            written.add(task_mode_id(name))
    unknown = [kid for kid in changes if kid not in written]
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
    inputs = {k.id for k in knobs(current)}
    picked = [knob_param(assessment, kid, added) for kid in dict.fromkeys(curves) if kid in inputs][:MAX_CURVES]
    if picked:
        params[PARAM_CURVES] = ",".join(picked)
    if analysis and _analysis(analysis) != default_analysis(picked):
        params[PARAM_ANALYSIS] = analysis
    return params


def _analysis(text: str) -> str:
    """One of ANALYSES, or a UrlStateError naming the allowed words."""
    if text not in ANALYSES:
        raise UrlStateError(f"link parameter {PARAM_ANALYSIS}={text[:40]!r} is not an analysis; "
                            f"allowed: {', '.join(ANALYSES)}")
    return text


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


def _index(name: str, m: re.Match) -> int:
    """The task number of a ``t<i>.`` or ``n<j>.`` parameter (one spelling: no leading zeros)."""
    if m.group(1) != str(int(m.group(1))):
        raise UrlStateError(
            f"link parameter {name!r}: task numbers are written without leading zeros;"
            f" allowed: {name[0]}{int(m.group(1))}.{m.group(2)}"
        )
    return int(m.group(1))


def _task_name(assessment: RoleAssessment, name: str, m: re.Match) -> str:
    """The name of the role's task a ``t<i>.`` parameter refers to."""
    index, n = _index(name, m), len(assessment.tasks)
    if not 1 <= index <= n:
        raise UrlStateError(f"link parameter {name!r}: the role has {n} tasks; allowed: t1 to t{n}")
    return assessment.tasks[index - 1].name


def _mode_code(name: str, text: str) -> int:
    """The MODE_CODES number of a mode written as a word (the only spelling a link uses)."""
    for code, mode in enumerate(MODE_CODES):
        if text == mode.value:
            return code
    raise UrlStateError(f"link parameter {name}={text[:40]!r} is not a task mode; allowed: {_MODE_WORDS}")


def _checked(name: str, k, text: str) -> float:
    """A knob's value from a link parameter, checked against the knob's range."""
    v = _parse_number(name, text, k.range_text)
    try:
        return k.check(v)
    except AIJRIError as exc:
        raise UrlStateError(f"link parameter {name}: {str(exc).removeprefix(k.id + ': ')}") from None


def _added_tasks(base: RoleAssessment, new: dict[int, dict[str, tuple[str, str]]]) -> dict[str, dict[str, float]]:
    """Changes that add the tasks ``n<j>.*`` describe ({j: {field: (parameter, text)}}), in n order."""
    numbers = sorted(new)
    if numbers != list(range(1, len(numbers) + 1)):
        given = ", ".join(f"n{j}" for j in numbers)
        raise UrlStateError(f"link: added tasks are numbered from n1 without gaps; given: {given}")
    own = [t.name for t in base.tasks]
    out: dict[str, dict[str, float]] = {}
    for j in numbers:
        fields = new[j]
        missing = [f for f in ("name", "share", "score") if f not in fields]
        if missing:
            raise UrlStateError(f"link parameter n{j}.{missing[0]} is missing: an added task needs "
                                f"n{j}.name, n{j}.share and n{j}.score (n{j}.mode is optional)")
        pname, text = fields["name"]
        task = clean_name(text)
        if not task.strip():
            raise UrlStateError(f"link parameter {pname} is empty; allowed: the name of the task added")
        if task in own:
            raise UrlStateError(f"link parameter {pname}={task[:40]!r}: the role already has this task "
                                f"(t{own.index(task) + 1}); allowed: a new task name")
        if task in out:
            raise UrlStateError(f"link parameter {pname}={task[:40]!r}: another added task has this name")
        ch = {task_share_id(task): _checked(fields["share"][0], task_knob(task, "share"), fields["share"][1]),
              task_score_id(task): _checked(fields["score"][0], task_knob(task, "score"), fields["score"][1])}
        if "mode" in fields:
            ch[task_mode_id(task)] = _mode_code(*fields["mode"])
        out[task] = ch
    return out


def _curve_knob(base: RoleAssessment, added: list[str], token: str) -> str:
    """The knob id of one entry of ``curves=`` (a knob's parameter name)."""
    m = _NEW_RE.match(token)
    if m and m.group(2) in ("score", "share"):
        j = _index(token, m)
        if not 1 <= j <= len(added):
            raise UrlStateError(f"link parameter curves: {token!r} names no added task; "
                                f"the link adds {len(added)}")
        return task_score_id(added[j - 1]) if m.group(2) == "score" else task_share_id(added[j - 1])
    m = _TASK_RE.match(token)
    if (m and m.group(2) in ("score", "share")) or token.startswith(("ev.", "bar.")) or token == "growth":
        return _knob_id_for(base, token)
    raise UrlStateError(f"link parameter curves: {token[:40]!r} is not an input; allowed: t<n>.score, t<n>.share, "
                        "n<j>.score, n<j>.share, ev.<dimension>, bar.<barrier>, growth, separated by commas")


def _knob_id_for(assessment: RoleAssessment, name: str) -> str:
    m = _TASK_RE.match(name)
    if m and m.group(2) in ("score", "share"):
        task = _task_name(assessment, name, m)
        if m.group(2) == "share" and len(assessment.tasks) < 2:
            raise UrlStateError(f"link parameter {name!r}: a role with one task has no time share to change")
        return task_score_id(task) if m.group(2) == "score" else task_share_id(task)
    if name.startswith("ev."):
        dim = name[3:]
        if dim not in EVIDENCE_DIMENSIONS:
            raise UrlStateError(f"link parameter {name!r}: unknown evidence dimension; allowed: {', '.join(EVIDENCE_DIMENSIONS)}")
        return KnobId("evidence", dim).format()
    if name.startswith("bar."):
        bar = name[4:]
        if bar not in BARRIERS:
            raise UrlStateError(f"link parameter {name!r}: unknown barrier; allowed: {', '.join(BARRIERS)}")
        return KnobId("barrier", bar).format()
    if name == "growth":
        return KnobId("growth").format()
    raise UrlStateError(f"link parameter {name!r} is not recognised; allowed: t<n>.score, t<n>.share, t<n>.mode, "
                        "t<n>.remove, n<j>.name, n<j>.share, n<j>.score, n<j>.mode, ev.<dimension>, "
                        "bar.<barrier>, growth, curves, analysis, m.<method parameter>")


def _flag(name: str, text: str, allowed: tuple[str, ...], meaning: str = "") -> str:
    """A yes/no link parameter as a link writes it: ``1`` or ``0`` and no other spelling (not
    ``yes``, ``true``, ``on`` or ``1.0``), as every parameter of a link has one spelling."""
    t = text.strip()
    if t not in allowed:
        raise UrlStateError(f"link parameter {name}={text[:40]!r}; allowed: {' or '.join(allowed)}{meaning}")
    return t


def _methodology_value(name: str, text: str) -> object:
    fields = Methodology.model_fields
    if name not in fields:
        raise UrlStateError(f"link parameter m.{name!r}: unknown method parameter; allowed: {', '.join(fields)}")
    annotation = fields[name].annotation
    if annotation is bool:
        return _flag(f"m.{name}", text, ("0", "1")) == "1"
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
    reshaping: dict[int, dict[str, float]] = {}  # task number -> its mode / remove change
    new: dict[int, dict[str, tuple[str, str]]] = {}  # n<j> -> {field: (parameter, text)}
    mchanges: dict[str, object] = {}
    settings: dict[str, float] = {}
    for name in ours:
        if name in (PARAM_ROLE, PARAM_CURVES, PARAM_ANALYSIS):
            continue
        m = _NEW_RE.match(name)
        if m:
            new.setdefault(_index(name, m), {})[m.group(2)] = (name, _single(ours, name))
            continue
        m = _TASK_RE.match(name)
        if m and m.group(2) in ("mode", "remove"):
            task, text = _task_name(base, name, m), _single(ours, name)
            index = [t.name for t in base.tasks].index(task)
            if m.group(2) == "mode":
                reshaping.setdefault(index, {})[task_mode_id(task)] = _mode_code(name, text)
            else:
                _flag(name, text, ("1",), " (the task is removed)")
                reshaping.setdefault(index, {})[task_remove_id(task)] = 1
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
        changes[kid] = _checked(name, knob(base, kid), text)
    order = [k.id for k in knobs(base)]
    changes = {kid: changes[kid] for kid in order if kid in changes}
    for index in sorted(reshaping):
        changes.update(reshaping[index])
    added = _added_tasks(base, new)
    for ch in added.values():
        changes.update(ch)
    try:
        current = apply_changes(base, changes)
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
    curves = _curves(ours, base, list(added), current) if PARAM_CURVES in ours else ()
    analysis = _analysis(_single(ours, PARAM_ANALYSIS)) if PARAM_ANALYSIS in ours else ""
    analysis = "" if analysis == default_analysis(curves) else analysis
    return UrlState(role_key=role_key, changes=changes, methodology_changes=mchanges, settings=settings,
                    curves=curves, analysis=analysis)


def _curves(ours, base: RoleAssessment, added: list[str], current: RoleAssessment) -> tuple[str, ...]:
    """The knob ids of ``curves=``: inputs of the role as the link leaves it, each once, at most MAX_CURVES."""
    tokens = _single(ours, PARAM_CURVES).split(",")
    if len(tokens) > MAX_CURVES:
        raise UrlStateError(f"link parameter curves names {len(tokens)} inputs; allowed: at most {MAX_CURVES}")
    inputs = {k.id for k in knobs(current)}
    out: list[str] = []
    for token in tokens:
        kid = _curve_knob(base, added, token)
        if kid not in inputs:
            raise UrlStateError(f"link parameter curves: {token!r} is not an input of the role as the link "
                                "leaves it (a removed task has none)")
        if kid in out:
            raise UrlStateError(f"link parameter curves: {token!r} is given twice; allowed: each input once")
        out.append(kid)
    return tuple(out)
