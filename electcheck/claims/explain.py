"""One-paragraph plain-language explanations, in English or Spanish (the claim's language)."""

from __future__ import annotations

import math

from .facts import Value
from .hedges import Interval

BASIS = {
    "en": {
        "valid": "share of valid votes", "ballots": "share of all ballots cast",
        "two-candidate": "share of the votes of the two candidates only", "registered": "share of registered electors",
        "count": "count", "ballots/registered": "ballots cast / registered electors",
        "issued/registered": "ballots issued / registered electors",
        "valid/registered": "valid votes / registered electors",
        "ballots/registry": "ballots cast / the whole electoral registry", "registry": "the electoral registry total",
        "lower-bound": "a lower bound (electors are missing for some units)",
        "units": "share of counting units", "electors": "share of registered electors covered",
        "ballots/registered-transmitted": "ballots cast / electors of the transmitted actas only",
        "stated": "the figure as stated by the source",
    },
    "es": {
        "valid": "porcentaje de los votos válidos", "ballots": "porcentaje de todos los votos emitidos",
        "two-candidate": "porcentaje solo entre los dos candidatos", "registered": "porcentaje de los electores inscritos",
        "count": "conteo", "ballots/registered": "votos emitidos / electores inscritos",
        "issued/registered": "papeletas entregadas / electores inscritos",
        "valid/registered": "votos válidos / electores inscritos",
        "ballots/registry": "votos emitidos / todo el registro electoral", "registry": "el total del registro electoral",
        "lower-bound": "una cota inferior (faltan electores de algunas unidades)",
        "units": "porcentaje de las unidades de conteo", "electors": "porcentaje de electores cubiertos",
        "ballots/registered-transmitted": "votos emitidos / electores de las actas transmitidas solamente",
        "stated": "la cifra tal como la declara la fuente",
    },
}
QUANTITY = {
    "en": {"votes": "votes", "share": "vote share", "margin_votes": "margin in votes",
           "margin_points": "margin in percentage points", "turnout": "turnout", "registered": "registered electors",
           "ballots": "votes cast", "valid": "valid votes", "invalid": "invalid votes", "units": "counting units",
           "coverage": "coverage", "ratio": "ratio", "money": "money", "other": "other", "none": "unknown",
           "regions_won": "regions won", "regions": "number of regions"},
    "es": {"votes": "votos", "share": "porcentaje de votos", "margin_votes": "diferencia en votos",
           "margin_points": "diferencia en puntos porcentuales", "turnout": "participación",
           "registered": "electores inscritos", "ballots": "votos emitidos", "valid": "votos válidos",
           "invalid": "votos nulos", "units": "unidades de conteo", "coverage": "cobertura", "ratio": "razón",
           "money": "dinero", "other": "otro", "none": "desconocida",
           "regions_won": "regiones ganadas", "regions": "número de regiones"},
}
VERDICT_NAME = {
    "en": {"supported": "Supported", "misleading": "Misleading", "contradicted": "Contradicted",
           "unverifiable": "Unverifiable"},
    "es": {"supported": "Respaldado", "misleading": "Engañoso", "contradicted": "Contradicho",
           "unverifiable": "No verificable"},
}
_PERCENT_Q = {"share", "margin_points", "turnout", "coverage"}


def plain(v: float, lang: str = "en") -> str:
    """A reading's value without exponent: 3316000 -> '3,316,000'; 7.303 -> '7.303'."""
    return fmt_value(v, "votes", lang, False)


def basis_name(basis: str, lang: str, source: str = "") -> str:
    if basis.startswith("snapshot:"):
        src = basis.split(":", 1)[1]
        return ("another snapshot of the data" if lang == "en" else "otra versión de los datos") + f" ({src})"
    return BASIS[lang].get(basis, basis)


def fmt_value(v: float, quantity: str, lang: str, percent: bool | None = None) -> str:
    if v is None or (isinstance(v, float) and math.isinf(v)):
        return "∞" if v and v > 0 else "−∞"
    pct = quantity in _PERCENT_Q if percent is None else percent
    if pct:
        s = f"{v:.2f}"
        s = s.replace(".", ",") if lang == "es" else s
        if quantity == "margin_points":
            return s + (" puntos" if lang == "es" else " points")
        return s + (" %" if lang == "es" else "%")
    if quantity == "ratio":
        s = f"{v:.2f}"
        return s.replace(".", ",") if lang == "es" else s
    if abs(v - round(v)) < 1e-9:
        s = f"{int(round(v)):,}"
    else:
        s = f"{v:,.4f}".rstrip("0").rstrip(".")
    if lang == "es":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def fmt_interval(iv: Interval, quantity: str, lang: str, percent: bool) -> str:
    f = lambda x: fmt_value(x, quantity, lang, percent)  # noqa: E731
    lo = "−∞" if math.isinf(iv.low) else f(iv.low)
    hi = "∞" if math.isinf(iv.high) else f(iv.high)
    return f"{'[' if iv.low_closed else '('}{lo}, {hi}{']' if iv.high_closed else ')'}"


def explain(verdict: str, *, lang: str, text: str, quantity: str, hedge: str, iv: Interval, percent: bool,
            standard: Value | None, matched: Value | None, alternatives, reason: str = "",
            rounding: str | None = None, reading_note: str = "", subject: str = "", hedge_text: str = "") -> str:
    E = lang == "en"
    q = QUANTITY[lang].get(quantity, quantity)
    allowed = fmt_interval(iv, quantity, lang, percent)
    ht = hedge_text or hedge
    h = "" if hedge == "none" else (f" (hedge “{ht}”{'' if ht == hedge else f', read as “{hedge}”'})" if E
                                     else f" (con «{ht}»)")
    # a region alone ("(DKI JAKARTA)") qualifies the quantity; a candidate is what it is for
    subj = "" if not subject else f" {subject}" if subject.startswith("(") else (
        f" for {subject}" if E else f" de {subject}")
    note = f" {reading_note}" if reading_note else ""
    if verdict == "unverifiable":
        if E:
            return f"“{text}” is not checked against the results: {reason}.{note}"
        return f"«{text}» no se contrasta con los resultados: {reason}.{note}"
    sv = fmt_value(standard.value, quantity, lang, percent)
    sb = basis_name(standard.basis, lang)
    src = standard.source
    if verdict == "supported":
        how = ""
        if rounding:
            how = ((" The figure is " + rounding + ".") if E else
                   (" La cifra está " + ("redondeada" if rounding == "rounded" else "truncada") + "."))
        if E:
            return (f"The data ({src}) give {q}{subj} = {sv} ({sb}: {standard.formula}). “{text}”{h} allows "
                    f"{allowed}, which contains it, so the claim is supported.{how}{note}")
        return (f"Los datos ({src}) dan {q}{subj} = {sv} ({sb}: {standard.formula}). «{text}»{h} admite "
                f"{allowed}, que lo contiene: la afirmación está respaldada.{how}{note}")
    if verdict == "misleading":
        mv = fmt_value(matched.value, quantity, lang, percent)
        mb = basis_name(matched.basis, lang)
        if E:
            return (f"On the standard basis ({sb}) the data ({src}) give {q}{subj} = {sv}, outside the {allowed} "
                    f"that “{text}”{h} allows. The figure holds only on a different basis: {mb}, {mv} "
                    f"({matched.formula}). The claim is misleading.{note}")
        return (f"Sobre la base estándar ({sb}) los datos ({src}) dan {q}{subj} = {sv}, fuera del intervalo "
                f"{allowed} que admite «{text}»{h}. La cifra solo se cumple con otra base: {mb}, {mv} "
                f"({matched.formula}). La afirmación es engañosa.{note}")
    tried = ", ".join(f"{basis_name(a.basis, lang)} {fmt_value(a.value, quantity, lang, percent)}"
                      for a in alternatives)
    if E:
        alt = f" No alternative basis brings it inside ({tried})." if tried else ""
        return (f"The data ({src}) give {q}{subj} = {sv} ({sb}: {standard.formula}), outside the {allowed} "
                f"that “{text}”{h} allows.{alt} The claim is contradicted.{note}")
    alt = f" Ninguna base alternativa lo hace coincidir ({tried})." if tried else ""
    return (f"Los datos ({src}) dan {q}{subj} = {sv} ({sb}: {standard.formula}), fuera del intervalo {allowed} "
            f"que admite «{text}»{h}.{alt} La afirmación queda contradicha.{note}")


UNVERIFIABLE_REASON = {
    "en": {"money": "it is a sum of money, which is not in election results",
           "other": "it counts something that is not in the election results ({why})",
           "none": "the text does not say what the number counts",
           "no-subject": "no candidate in the data is named with it",
           "no-data": "the data given cannot determine this quantity ({quantity})",
           "not-a-count": "it is {what}, not a count, so it is never checked against results",
           "subset": "it counts a subset of units the data does not compute ({why})"},
    "es": {"money": "es una cantidad de dinero, que no figura en los resultados",
           "other": "cuenta algo que no figura en los resultados electorales ({why})",
           "none": "el texto no dice qué cuenta la cifra",
           "no-subject": "no se nombra con ella a ningún candidato de los datos",
           "no-data": "los datos dados no permiten determinar esta cantidad ({quantity})",
           "not-a-count": "es {what}, no un conteo, y nunca se contrasta con resultados",
           "subset": "cuenta un subconjunto de unidades que los datos no calculan ({why})"},
}
