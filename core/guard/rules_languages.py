"""The same instructions in other languages: the few constructions an injected record uses to
make the assistant relay something (tell the user, when the user asks…, ignore the previous
instructions, always answer…), in Spanish, French, German, Italian, Portuguese, Dutch and
Russian. Like core/guard/rules.py they name who is addressed and what is ordered, never a
topic. Matched on the NFKC text, case-folded (accents kept: they belong to the words)."""
from __future__ import annotations

import re

_F = re.IGNORECASE
_USER = {
    "es": r"(?:al|a los|a la) usuari[oa]s?",
    "fr": r"(?:à|a) l['’]utilisat(?:eur|rice)s?",
    "de": r"(?:dem|den) (?:benutzer|nutzer|anwender)n?",
    "it": r"all['’]utente",
    "pt": r"(?:ao|à|aos) (?:usuári[oa]s?|utilizador(?:es)?)",
    "nl": r"(?:de|het) gebruikers?",
    "ru": r"пользовател\w*",
}
_TELL = {
    "es": r"(?:dile|díle|dígale|digale|diles|di|informa|infórmale|avisa|avísale|responde|contesta|recuérdale)",
    "fr": r"(?:dis|dites|réponds|répondez|informe|informez|rappelle|rappelez)",
    "de": r"(?:sag|sage|sagen sie|teile|teilen sie|antworte|antworten sie|erzähle|erzähl)",
    "it": r"(?:di['’]|dì|di|dici|rispondi|informa|ricorda)",
    "pt": r"(?:diga|diz|responda|responde|informe|informa|lembre)",
    "nl": r"(?:vertel|zeg|antwoord|meld)",
    "ru": r"(?:скажи|скажите|сообщи|сообщите|ответь|ответьте|передай|передайте|напомни)",
}
_ASKS = {
    "es": r"(?:cuando|si|siempre que) el usuario (?:pregunte|diga|mencione|escriba)",
    "fr": r"(?:quand|si|lorsque|chaque fois que) l['’]utilisateur (?:demande|dit|mentionne|écrit)",
    "de": r"(?:wenn|falls|sobald) (?:der|ein) (?:benutzer|nutzer) (?:fragt|sagt|erwähnt|schreibt)",
    "it": r"(?:quando|se|ogni volta che) l['’]utente (?:chiede|dice|menziona|scrive)",
    "pt": r"(?:quando|se|sempre que) o (?:usuário|utilizador) (?:perguntar|pergunta|disser|mencionar)",
    "nl": r"(?:als|wanneer|zodra) de gebruiker (?:vraagt|zegt|noemt|schrijft)",
    "ru": r"(?:когда|если) пользователь (?:спросит|спрашивает|скажет|напишет|упомянет)",
}
_IGNORE = {
    "es": r"ignora(?:r)? (?:todas )?(?:las )?instrucciones",
    "fr": r"ignor(?:e|ez|er) (?:toutes )?(?:les )?instructions",
    "de": r"ignorier(?:e|en sie|en)? (?:alle )?(?:vorherigen |bisherigen |obigen )?anweisungen",
    "it": r"ignora(?:re)? (?:tutte )?(?:le )?istruzioni",
    "pt": r"ignor(?:e|a|ar) (?:todas )?(?:as )?instruções",
    "nl": r"negeer (?:alle )?(?:vorige |eerdere )?instructies",
    "ru": r"игнорируй(?:те)? (?:все )?(?:предыдущие )?инструкции",
}
_ALWAYS = {
    "es": r"responde siempre|siempre responde", "fr": r"réponds toujours|répondez toujours",
    "de": r"antworte immer|antworten sie immer", "it": r"rispondi sempre", "pt": r"responda sempre|responde sempre",
    "nl": r"antwoord altijd", "ru": r"всегда отвечай",
}
# a word for the assistant, addressed: "Asistente, ..." / "Note pour l'assistant : ..."
_AI_WORDS = r"(?:asistente|assistant|assistent|assistente|ассистент|ia|ki|ии|chatbot|bot)"
ADDRESSED = re.compile(rf"(?:^|[.!?:;]\s*)(?:(?:nota|note|notiz|notitie|заметка)\s+(?:para|pour|für|per|voor|для)\s+"
                       rf"(?:el |l['’]|den |die |de |o |a )?{_AI_WORDS}|{_AI_WORDS}\s*[,:;!])", _F)

RELAY = {lang: re.compile(rf"\b{_TELL[lang]}\s+{_USER[lang]}", _F) for lang in _USER}
TRIGGERS = {lang: re.compile(rf"\b{pattern}", _F) for lang, pattern in _ASKS.items()}
OVERRIDES = {lang: re.compile(rf"\b{pattern}\b", _F) for lang, pattern in _IGNORE.items()}
ALWAYS = {lang: re.compile(rf"\b(?:{pattern})\b", _F) for lang, pattern in _ALWAYS.items()}
ORDER = re.compile(r"\b(?:" + "|".join(_TELL.values()) + r")\b", _F)  # an imperative to say or answer


def foreign_instruction(text: str) -> str:
    """Why `text` (NFKC, invisible characters removed) reads as an instruction in one of the
    languages above, or ""."""
    for lang, pattern in OVERRIDES.items():
        if pattern.search(text):
            return "tells the assistant to ignore its instructions"
    relay = any(p.search(text) for p in RELAY.values())
    trigger = any(p.search(text) for p in TRIGGERS.values())
    always = any(p.search(text) for p in ALWAYS.values())
    addressed = ADDRESSED.search(text)
    if (relay and (addressed or trigger or always)) or (addressed and (always or trigger or ORDER.search(text))):
        return "speaks to the assistant and tells it what to do"
    if relay or (trigger and (always or ORDER.search(text))):
        return "tells the assistant what to tell the user"
    return ""
