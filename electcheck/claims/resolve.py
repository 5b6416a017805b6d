"""What each number is about: the quantity (votes, share, margin, turnout…) and its subject.

Rules read the words around the number inside its sentence. They are
deliberately plain (keyword cues, nearest name, "X votes to Y") and each
decision carries a ``why`` string that ends up in the JSON output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import vocab
from .hedges import HEDGE_PHRASE
from .numbers import Mention
from .scope import OF_A_TOTAL, OF_WORDS
from .subjects import NameHit


def _q(key: str) -> str:
    """Alternation of the ``[quantity] key`` phrases of every vocabulary file (folded, longest first)."""
    return vocab.alternation(vocab.phrases("quantity", key))


#: the reason of a percentage read as a share for want of any other cue (the default reading)
DEFAULT_SHARE = "percent of the vote"
#: a participle of the count, in any language (``[quantity] counted``: "counted", "escrutadas", "apurados", "dihitung")
COUNTED = "(?:" + _q("counted") + ")"
TURNOUT = re.compile(r"\b(afluencia|" + _q("turnout") + r")\b")
#: "66% of eligible voters cast their ballots", "74% of Russia's 112.3 million voters cast…", "70% turned out"
TURNOUT_OF_ELECTORS = re.compile(
    r"^\s*(?:turned\s+out|acudieron|acudio|voted\b|votaron\b)|"
    r"^\s*of\s+(?:the\s+|all\s+)?(?:[\w.,'’]++\s++){0,3}?(?:(?:eligible|registered)\s+(?:voters|electors)|electorate|"
    r"(?:voters|electors)\s+(?:cast\s+their|voted(?!\s+for)|turned\s+out|went\s+to\s+the\s+polls))\b|"
    r"^\s*(?:del|de\s+los)\s+(?:electores|votantes\s+inscritos|padron|censo|registro\s+electoral)\b")
#: "a third of the population", "20 % del PIB": the base is not the voters or the vote
NOT_VOTERS_AFTER = re.compile(r"^\s*(?:of\s+(?:the\s+|its\s+|their\s+)?|de\s+(?:la\s+|su\s+)?|da\s+|do\s+|dari\s+)?"
                              r"(?:population|populacion|poblacion|populacao|populasi|penduduk|gdp|pib|economy|"
                              r"economia|ekonomi|inflation|inflacion|inflacao|inflasi)\b")
#: "la economía se había contraído un 7 %", "inflation rose by 12 %": a figure about the economy
NOT_VOTES_BEFORE = re.compile(r"\b(?:economy|economia|ekonomi|inflation|inflacion|inflacao|inflasi|gdp|pib|unemployment|"
                              r"desempleo|desemprego|pengangguran|prices|precios|precos|harga|oil\s+prices?|"
                              r"petroleo|salaries|salarios|wages|poverty|pobreza|kemiskinan)\b[^.;,\d]{0,40}$")
#: "mais 10,5 milhões que na eleição de 2012", "más 2 millones que en 2012": the change between elections
#: (the comparative before the figure, "than" after)
GAP_BEFORE = re.compile(r"(?:^|\W)(?:mais|mas|more|menos|less|fewer|lebih)\s+$")
GAP_AFTER = re.compile(r"^\s*(?:[\w-]++\s++){0,3}?(?:que|than|do\s+que|dari(?:pada)?)\s+(?:(?:en|in|na|no|em|pada|at)\s+)?"
                       r"(?:(?:la|el|the|a|o)\s+)?(?:eleicao|eleccion|election|pemilu|pilpres|votacion|anterior|previous|"
                       r"(?:19|20)\d\d)\b")
#: "99.36 percent of the republic's vote": a share, even in a sentence that also gives the turnout
OF_THE_VOTE = re.compile(r"^\s*(?:of\s+(?:the\s+)?(?:[\w']++\s++)?votes?\b|de\s+los\s+votos\b|del\s+voto\b|dos\s+votos\b|"
                         r"do\s+voto\b|dos\s+sufragios\b|de\s+los\s+sufragios\b|suara\b)")
#: "the 50 percent needed to…", "el umbral del 5 %": a threshold, not a result
THRESHOLD = re.compile(r"^\s*(?:[\w-]++\s++){0,2}?(needed|required|threshold|minimum|necesari\w+|requerid\w+|minimo|umbral)\b")
#: "(turnout) was well over the 50 percent …": a bound on the quantity named before
BOUND_BEFORE = re.compile(r"(?:was|is|were|fue|es|era|foi|e|adalah)\s+(?:well\s+|far\s+|just\s+|muy\s+|bien\s+|"
                          r"muito\s+|jauh\s+)?(?:over|above|below|under|more\s+than|less\s+than|mas\s+de|menos\s+de|"
                          r"mais\s+de|superior\s+a|inferior\s+a|lebih\s+dari|kurang\s+dari|di\s+atas|di\s+bawah)\s+"
                          r"(?:the\s+|el\s+|la\s+|o\s+|a\s+)?$")
#: "casi 30 puntos más que lo informado por el CNE": a gap between two reports, not between candidates
REPORT_GAP = re.compile(r"^\s*(?:more|less|higher|lower|mas|menos)\s+(?:than|que|de)\s+(?:lo\s+|the\s+|el\s+|la\s+)?"
                        r"(?:informad\w*|reportad\w*|anunciad\w*|publicad\w*|official\w*|reported|announced|"
                        r"cne|electoral\s+(?:authority|council)|consejo)\b")
#: "10 puntos más que en la convocatoria anterior", "5 points higher than in 2012": a change between two
#: elections, not a margin between candidates
ELECTION_GAP = re.compile(r"^\s*(?:more|less|higher|lower|up|down|mas|menos|mais|lebih\s+(?:banyak|tinggi)|"
                          r"kurang)\s+(?:than|que|do\s+que|de|from|dari(?:pada)?)\s+(?:en\s+|in\s+|em\s+|na\s+|no\s+|pada\s+|at\s+)?"
                          r"(?:(?:la|el|the|a|o|los|las|os|as|its|his|su|sua|seu)\s+)?(?:[\w-]++\s++){0,2}?"
                          r"(?:anterior|previous|prior|last|pasada|passada|sebelumnya|lalu|(?:19|20)\d\d)\b")
#: "93 percent of those votes going to Putin": a share even in a turnout sentence
SHARE_OF_VOTES_TO = re.compile(r"^\s*(?:(?:of|de)\s+(?:those\s+|these\s+|the\s+|esos\s+|los\s+)?(?:votes?|votos?|ballots)\s+"
                               r"(?:going\s+to|went\s+to|for|cast\s+for|para|a\s+favor\s+de)"
                               # "59 percent went to Chavez", "el 59 % fue para Chávez", "59% foram para Chávez"
                               r"|(?:went|go|going|goes)\s+to|(?:fue|fueron)\s+para|(?:foi|foram)\s+para)\b")
#: "with 89 percent supporting United Russia", "70 % votando por Maduro": a share even in a turnout sentence
SHARE_SUPPORTING = re.compile(r"^\s*(?:of\s+(?:the\s+)?(?:voters|votes|ballots)\s+|de\s+los\s+(?:votantes|votos)\s+|"
                              r"dos\s+(?:eleitores|votos)\s+)?(?:supporting|backing|voting\s+for|casting\s+(?:their\s+)?"
                              r"(?:votes|ballots)\s+for|apoyando\s+a|votando\s+(?:por|a)|respaldando\s+a|apoiando|"
                              r"votando\s+em|mendukung|memilih)\s")
#: "91.54% of the voters" with no candidate in the sentence: the share of the electors who voted
OF_THE_VOTERS = re.compile(r"^\s*(?:of\s+(?:the\s+|all\s+)?(?:eligible\s+|registered\s+)?(?:voters|electors|electorate)\b|"
                           r"de\s+los\s+(?:electores|votantes)\b|del\s+(?:electorado|padron|censo)\b|"
                           r"d[oa]s?\s+(?:eleitores|eleitorado)\b|dari\s+(?:total\s+|jumlah\s+)?pemilih\b)")
TURNOUT_OF_COUNT = re.compile(r"\b(?:" + _q("turnout") + r")\s+(?:of|de|da|do|sebesar|sebanyak)\s+"
                              r"(?:" + HEDGE_PHRASE + r"\s+)?$")
TURNOUT_AFTER = re.compile(r"^[\s)]*(?:de\s+|of\s+)?(?:la\s+|the\s+)?(participacion|turnout|participation)\b")
_OF = OF_WORDS
COVERAGE = re.compile(r"^\s*" + _OF +
                      r"(?:\w++\s++){0,2}(actas?|atas|tally\s+sheets?|tallies|voting\s+tables|mesas|polling\s+stations|"
                      r"stations|machines|maquinas|tps|precincts|ballot\s+boxes|urnas|secoes|the\s+count|"
                      r"escrutinio|apuracao|conteo|contagem|transmitted|transmitidas|centros|centres|centers|vote\s+count|"
                      r"tempat\s+pemungutan\s+suara|c1|penghitungan|recuento|protocols?|protocolos|voting\s+results|"
                      r"colegios|pemindaian)\b|"
                      r"^\s*" + _OF + r"\d[\d.,]*+\s+(?:\w++\s+)?"
                      r"(actas?|atas|tally\s+sheets?|voting\s+tables|mesas|polling\s+stations|precincts|tps|urnas|secoes|"
                      r"tempat\s+pemungutan\s+suara)\b")
#: "of the votes counted" is the count's progress only after "with": "con el 80 % de los votos escrutados"
#: (a candidate's "51,2 % de los votos escrutados" is a share of the votes counted so far)
VOTES_COUNTED = re.compile(r"^\s*" + _OF + r"(?:votes?|votos?|suara|ballots)\s+(?:\w++\s+)?" + COUNTED + r"\b")
#: articles and hedges between a counting word and its figure ("con casi el 90 %", "com cerca de 41,7 %")
_FILL = r"(?:(?:el|la|los|las|o|a|os|as|the|un|una|um|uma|only|solo|apenas|just|slightly|" + HEDGE_PHRASE + r")\s++){0,2}"
WITH_BEFORE = re.compile(r"(?:^|\W)(?:with|con|com|dengan|when|cuando|quando|after|tras|apos)\s+" + _FILL + "$")
COVERAGE_AFTER2 = re.compile(r"^\s*" + COUNTED + r"\b")
#: "Escrutadas el 80 por ciento de los votos", "after counting 96,87 persen", "setelah menghitung …": the
#: counting verb fronted before the figure
#: "after processing 24.4 %", "tras el recuento del 57,37 %", "a falta de que se escrute el 10 %": the count's
#: progress named by a counting noun or verb right before the figure
COVERAGE_BEFORE = re.compile(r"\b(counted|escrut\w+|transmitid\w+|procesad\w+|apurad\w+|"
                             r"coverage|cobertura|counting|menghitung|escrutando|apurando|contabilizando|"
                             r"processing|procesamiento|processamento|recuento|apuracao|contagem|conteo|"
                             r"penghitungan|pemindaian|"
                             # "ya se recibieron el 80 por ciento de los datos": the passive, never "recibió el 51 %"
                             r"se\s+recibi\w+|se\s+receberam|have\s+been\s+received)"
                             r"(?:\W*|\s+(?:el|la|los|las|o|a|os|as|the|del|de|da|do|dari|of)\s+(?:(?:the|el|la|los|las)\s+)?"
                             r"|\s+" + _FILL + r")$")
#: "80 persen kotak suara telah dihitung", "70 percent of the ballots were counted": the units counted
COVERAGE_COUNTED_AFTER = re.compile(r"^\s*(?:of\s+(?:the\s+|all\s+)?|dari\s+(?:total\s+)?|de\s+(?:las\s+|los\s+)?|d[oa]s\s+)?"
                                    r"(?:kotak\s+suara|surat\s+suara|kertas\s+suara|ballots|ballot\s+boxes|papeletas|boletas|cedulas|"
                                    r"tps|precincts|polling\s+stations|urnas)\s+"
                                    r"(?:(?:telah|sudah|yang|had|have|has|were|was|been|fueron|foram|habian|tinham)\s++){0,2}"
                                    + COUNTED + r"\b")
#: "with 80 percent of the polling stations counted", "con el 96,87 % de las minutas escrutadas", "60 % dos
#: distritos eleitorais apurados", "80 % dos votos haviam sido computados": a part of the units (any noun but the
#: votes) with a counting participle after it, or the votes as the subject of a counting predicate — the count's
#: progress, even in a sentence that also gives the turnout
_AUX = r"(?:had|have|has|were|was|been|haviam|havia|tinham|foram|fueron|habian|han|sido|telah|sudah)"
COVERAGE_NOUN_COUNTED = re.compile(
    r"^\s*" + _OF + r"(?!(?:(?:the|all|los|las|el|la|os|as|o|a)\s+)?(?:votes?|votos?|suara|ballots|boletas|papeletas|cedulas|"
    r"sufragios)\b)(?:[a-z]++\s++){1,2}?"
    r"(?:" + _AUX + r"\s++){0,3}" + COUNTED + r"\b|"
    r"^\s*" + _OF + r"(?:votes?|votos?|suara|ballots)\s++(?:" + _AUX + r"\s++){1,3}" + COUNTED + r"\b|"
    # "80% suara yang telah dihitung": the votes counted so far
    r"^\s*(?:dari\s+)?suara\s++yang\s++(?:telah\s++|sudah\s++)?(?:dihitung|terhitung|masuk)\b")
#: "en el evento participaron 12.386.669", "voted: 5 million": the voting verb right before a bare count
VOTED_BEFORE = re.compile(r"\b(?:" + _q("voted") + r"|voted|participated|took\s+part)\s*:?\s+"
                          r"(?:" + HEDGE_PHRASE + r"\s+)?$")
#: a voting verb right before a percentage ("votó un 65,43 %")
VOTED_BEFORE_PCT = re.compile(r"\b(?:" + _q("voted") + r")\s+(?:(?:un|una|el|la|o|a|the)\s+)?(?:" + HEDGE_PHRASE
                              + r"\s+)?$")
#: "of Russia's 109 million voters had cast ballots", "dos eleitores compareceram": the electors, then a voting verb
OF_ELECTORS_VOTED = re.compile(r"^\s*(?:of|de|dos|das|dari)\s+(?:[^\s.;:]++\s++){0,4}?(?:voters|electors|electorate|"
                               + _q("electors") + "|" + _q("people") + r")\s++(?:\w++\s++){0,2}?(?:" + _q("voted")
                               + r")\b")
#: a voting verb somewhere before the count of people
VOTED_CUE = re.compile(r"(?<![\w])(?:" + _q("voted") + r")(?![\w])")
#: "dengan selisih 9,8 juta lebih", "a margin of 1.2 million": a margin noun right before a count
#: ("unggul jauh sebesar 2,7 juta suara": led by; "unggul dengan perolehan suara sebesar …" is the leader's tally)
MARGIN_NOUN_BEFORE = re.compile(r"\b(?:selisih|margin|margen|ventaja|diferencia|margem|vantagem|diferenca|difference|lead|"
                                r"(?:unggul|menang)(?=\s++(?:\w++\s++)?sebesar\s))\s+(?:\w++\s++(?=sebesar))?"
                                r"(?:of\s+|de\s+|sebesar\s+|sebanyak\s+)?(?:" + HEDGE_PHRASE + r"\s+)?$")
INVALID = re.compile(r"\b(null|nulos?|invalid|invalidos?|spoiled|blank|en blanco|void)\b")
#: "el 0,41 % de los votos se considera nulo", "of the ballots were declared invalid"
INVALID_VERB = re.compile(r"^\s*(?:de\s+los\s+|dos\s+|of\s+the\s+|dari\s+)?(?:votos|votes|ballots|suara)\s+"
                          r"(?:se\s+|yang\s+|que\s+|that\s+)?(?:considera\w*|declara\w*|anula\w*|were|was|fueron|fue|foram|sao|are|is|dinyatakan)"
                          r"(?:\s+(?:declared|considered|deemed|ruled|found|como))?\s+(?:null|nul[oa]s?|invalid\w*|void|spoiled|tidak\s+sah)\b")
MARGIN_BEFORE = re.compile(r"\b(margin|margen|lead|ventaja|diferencia|gap|won|win|wins|winning|beat|beats|defeated|"
                           r"gano|gana|ganaria|vencio|aventaja\w*|super[oa]\w*|led|leads|leading|ahead|victory|victoria|"
                           r"triunfo|landslide|" + _q("margin") + r")\b(?:\s++\w++){0,4}\s+(by|por|de|of)\s+"
                           r"(?:\w++\s++){0,2}$")
MARGIN_WORD = re.compile(r"\b(margin|margen|ventaja|diferencia|difference|lead|gap|margem|vantagem|diferenca|selisih)\s+"
                         r"(?:[\w'\u2019.,-]++\s++){0,8}?(of|de|by|por|was|fue|es|is|foi|e|sebesar|sebanyak|adalah|yakni|yaitu|mencapai|:)"
                         r"\s+(?:[\w']++\s++){0,2}(?:\d[\d.,]*+\s++(?:votes?\s++|votos?\s++|suara\s++)?"
                         r"(?:atau|or|ou|o)\s++)?$")
MARGIN_AFTER = re.compile(r"^[\s-]*(?:votes?[\s-]+)?(majority|margin|lead|ventaja|diferencia|mayoria|"
                          r"ahead\s+of|de\s+ventaja\s+sobre|a\s+frente\s+de|di\s+depan)\b")
#: "total valid votes were …", "votos válidos: …", "total suara sah yang berjumlah …", "suara sah sebesar …"
#: "14.551.982 atau 12,46 persen", "16.231.668 ou 65,7 %": a count and its percentage, one figure in two forms
OR_FORM = re.compile(r"\d[\d.,]*+\s++(?:votes?\s++|votos?\s++|suara\s++)?(?:atau|or|ou)\s++$")
_PCT = r"(?:%|percent|per\s+cent|por\s+ciento|por\s+cento|persen)"
#: "55.5 percent to 44.5 percent", "51 % a 44 %", "51% contra 44%": a pair of shares
PERCENT_PAIR_AFTER = re.compile(r"^\s*(?:to|a|contra|versus|vs\.?|berbanding|banding)\s+\d[\d.,]*+\s*" + _PCT)
PERCENT_PAIR_BEFORE = re.compile(r"\d[\d.,]*+\s*" + _PCT + r"\s+(?:to|a|contra|versus|vs\.?|berbanding|banding)\s+$")
VALID_BEFORE = re.compile(r"(?:\b(?:valid\s+votes|votos\s+validos)|(?<!tidak\s)\bsuara\s+sah)(?:\s+emitidos)?"
                          # "suara sah untuk daerah pemilihan DKI Jakarta 6.345.684": the place the total is for
                          r"(?:\s+(?:nasional|nacionales|national|(?:untuk|di|in|en|em|no|na)\s+(?:daerah\s+pemilihan\s+)?"
                          r"[^\W\d]++(?:\s++[^\W\d]++){0,3}))?"
                          # "suara sah dalam pemilihan presiden dan wakil presiden di Riau sebanyak": what the votes
                          # were cast in, then the verb that gives the figure (never through "tidak sah")
                          r"(?:(?:\s++(?!tidak\b|invalid\b|nulos\b)(?:[^\W\d]++|(?:19|20)\d\d\b)){1,8}?(?=\s*(?:sebanyak|berjumlah|"
                          r"mencapai|was|were|fue|fueron|foram)\b))?"
                          r"(?:\s+yang(?:\s+\w+)?)?\s*(?:was|were|totall?ed|fue|fueron|foram|of|de|:|sebanyak|sebesar|"
                          r"berjumlah|mencapai|adalah|yakni|yaitu)?\s*$")
VOTED_FOR = re.compile(r"^\s*(?:(?:de\s+)?(?:" + _q("people") + r"|voters|votantes|eleitores|electores|electors|pemilih)\s+)?"
                       r"(?:voted\s+(?:for|in)|votaron\s+(?:por|a\s+favor)|votaram\s+(?:em|a\s+favor)|"
                       r"cast\s+(?:their\s+)?(?:ballots?|votes?)\s+(?:in\s+favou?r\s+of|for)|"
                       r"supported|backed|apoyaron\s+a|respaldaron\s+a|memilih|"
                       # "6 millones … electores eligieron a X" / "lo eligieron": the candidate's votes
                       r"eligieron|escogieron|escolheram|elegeram|chose)\b")
NOT_COUNTED = re.compile(r"\b((?:aun|todavia)\s+(?:por|sin)\s+(?:contar|escrutar)|not\s+yet\s+counted|"
                         r"yet\s+to\s+be\s+counted|uncounted|no\s+escrutad\w+|sin\s+escrutar|por\s+escrutar)\b")
CITIZENS_REGISTERED = re.compile(r"^\s*(?:de\s+)?(venezolanos|ciudadanos|citizens|people|personas|russians|rusos|"
                                 r"indonesians)\b.{0,30}\b(llamad\w+\s+a\s+votar|eligible|habilitad\w+|registered|"
                                 r"inscrit\w+|convocad\w+)")
BALLOTS_AFTER = re.compile(r"^\s*(?:de\s+ellos\s+)?(?:(?:de\s+)?(?:personas|people|voters|votantes|electores|ciudadanos|"
                           r"pessoas|eleitores|orang|warga|pemilih)\s+(?:yang\s+|que\s+)?)?"
                           r"(acudieron|votaron|voted|turned\s+out|cast\s+their|participaron|participated|took\s+part|"
                           + _q("voted") + r")\b")
VOTES = re.compile(r"^\s*(?:de\s+|dos\s+)?(?:valid\s+|validos\s+)?(ballot|respaldos|voluntades|" + _q("votes") + r")\b")
#: a getting verb right before a count: "obtuvo", "got", "received", "obteve", "memperoleh"
GOT_BEFORE = re.compile(r"\b(?:obtuvo|obtiene|recibio|logro|sumo|consiguio|got|gets|received|won|garnered|secured|"
                        r"obteve|recebeu|conquistou|somou|memperoleh|mendapat|meraih|mengantongi)\s+"
                        r"(?:(?:un|una|el|la|um|uma|" + HEDGE_PHRASE + r")\s+)?$")
VALID = re.compile(r"^\s*(?:de\s+)?(valid\s+votes|votos\s+validos|valid\s+ballots|suara\s+sah)\b")
#: "27.476.079 suara yang masuk", "N votes cast", "N votos emitidos": every ballot in the boxes
CAST_AFTER = re.compile(r"^\s*(?:suara\s+(?:yang\s+)?masuk|votes\s+cast|votos\s+emitidos|votos\s+depositados)\b")
INVALID_AFTER = re.compile(r"^\s*(?:de\s+)?(null|invalid|spoiled|void|votos\s+nulos|nulos|votos\s+invalidos|"
                           r"invalid\s+votes|null\s+votes|spoiled\s+ballots)\b")
ELECTORS = re.compile(r"^\s*(?:de\s+|os\s+|los\s+|the\s+)?(?:registered\s+|eligible\s+)?(voters|votantes|electores|electors|inscritos|"
                      r"ciudadanos\s+habilitados|personas\s+habilitadas|" + _q("electors") + r")\b")
REGISTERED_CUE = re.compile(r"\b(registered|registro|padron|inscritos|habilitad\w+|eligible|registry|censo|"
                            r"electoral\s+roll|electoral\s+register|llamados\s+a\s+votar|convocad\w+|"
                            + _q("registered") + r")\b")
#: "the number of voters registered … reaches 110 million", "DPT … sebanyak 185.989.880 orang",
#: "el censo electoral, que comprende 12.386.669 ciudadanos": the register named before the count
REGISTERED_BEFORE = re.compile(r"\b(?:" + _q("registered") + r"|censo\s+electoral|padron\s+electoral)\b"
                               r"[^.;:]{0,50}?\b(?:reaches|reached|is|was|stood\s+at|totals|totalled|totaled|of|at|"
                               r"comprende|asciende\s+a|es\s+de|fue\s+de|de|alcanza|suma|e\s+de|era\s+de|totaliza|"
                               r"sebanyak|sebesar|mencapai|berjumlah|adalah|yaitu|ada)\s+"
                               r"(?:" + HEDGE_PHRASE + r"\s+)?$")
PEOPLE_AFTER = re.compile(r"^\s*(?:de\s+)?(?:people|persons|citizens|voters|electors|personas|ciudadanos|electores|"
                          r"votantes|pessoas|cidadaos|eleitores|orang|warga|jiwa|pemilih)\b|^\s*(?:[.,;)]|$)")
UNITS = re.compile(r"^\s*(?:de\s+)?(?:\w++\s++){0,2}(actas?|tally\s+sheets?|tallies|voting\s+tables|mesas|"
                   r"polling\s+stations|stations|precincts|tps|uiks?|machines|maquinas|tally\s+forms|"
                   + _q("units") + "|" + _q("units_extra") + r")\b")
#: "total TPS seluruh Indonesia sebanyak 813.350", "the number of polling stations was 98,000": the units named
#: before the count
UNITS_BEFORE = re.compile(r"\b(?:total|jumlah|number\s+of|numero\s+de|total\s+de)\s+(?:\w++\s++)?"
                          r"(?:tps|tempat\s+pemungutan\s+suara|polling\s+stations|mesas(?:\s+electorales)?|"
                          r"secoes(?:\s+eleitorais)?|precincts|actas|atas|uiks?)\b[^.;\d]{0,40}?"
                          r"(?:sebanyak|berjumlah|mencapai|adalah|yaitu|was|is|stood\s+at|totals?|totall?ed|"
                          r"fue\s+de|es\s+de|era\s+de|foi\s+de|e\s+de|:)\s+(?:" + HEDGE_PHRASE + r"\s+)?$")
UNIT_WORDS = re.compile(r"\b(actas|atas|tally\s+sheets|mesas|voting\s+tables|polling\s+stations|precincts|tps|urnas)\b")
CENTRES = re.compile(r"^\s*(?:de\s+)?(?:voting\s+)?(centres|centers|centros)\b")
TO_LINK = re.compile(r"^[\s,]*(?:votes?|votos?)?[\s,]*(to|a|contra|frente\s+a|versus|vs\.?|against|y|and)\s")
FOR_AFTER = re.compile(r"^\s*(?:de\s+|dos\s+)?(?:votes?|votos?|apoyos|suara|of\s+the\s+vote|del\s+voto|do\s+voto|"
                       r"de\s+los\s+votos(?:\s+validos)?|dos\s+votos(?:\s+validos)?|"
                       r"of\s+the\s+votes?|of\s+votes|of\s+valid\s+votes)?[\s,]*(?:cast\s+|were\s+|was\s+|fueron\s+|foram\s+|"
                       r"obtid[oa]s?\s+|obtenid[oa]s?\s+|recebid[oa]s?\s+|recibid[oa]s?\s+|logrados?\s+|logradas?\s+|"
                       r"conquistad[oa]s?\s+|received\s+|garnered\s+|won\s+|diperoleh\s+|didapat\s+)?"
                       r"(?:(?:for|para|a\s+favor\s+de|went\s+to|in\s+favou?r\s+of|supported|backed|apoyaron\s+a|"
                       # not "por encima de X" (above X: the comparison, not the figure's owner)
                       r"voted\s+(?:for|in)|votaron\s+por|por(?!\s+(?:encima|delante|detras|debajo|arriba))|pelo|pela|"
                       r"by|oleh|untuk)\s+(?:[\w'.-]++[\s,]++){0,4}|"
                       # Indonesian passive: the agent follows the verb with no "oleh" ("suara yang diperoleh Gonzalez")
                       r"yang\s+(?:diperoleh|didapat|diraih|dikantongi)\s+|"
                       r"(?:de|do|da)\s+)$")
#: "… and 3.85 percent to A Just Russia leader Sergei Mironov": the second figure of an ellipsis
ELLIPTIC_TO = re.compile(r"^\s*(?:of\s+the\s+votes?\s+)?to\s+(?:[\w'.-]++\s++){0,5}$")
#: "44,2 % de seu principal opositor", "68,6 millones de su adversario", "for his rival": the opponent
OPPONENT_AFTER = re.compile(r"^[\s,]*(?:de|do|da|del|of|for|para|untuk|bagi|to)\s+(?:(?:su|seu|sua|his|her|their)\s+)?"
                            r"(?:(?:principal|main|closest|nearest|mais\s+proximo|mas\s+cercano)\s+)?"
                            r"(?:rival|opponent|challenger|opositor|adversario|contrincante|contendiente|oponente|"
                            r"lawan(?:nya)?|pesaing(?:nya)?)\b")
#: "44 % do principal candidato da oposição, Edmundo González": a person noun after "of", then the name
APPOSITION_AFTER = re.compile(r"^[\s,]*(?:de|do|da|del|of|for|para|by|por|pelo|pela|untuk|oleh)\s+(?:\w++\s++){0,3}?"
                              r"(?:candidat\w*|opositor|adversari\w*|rival|presidente|president|lider|leader|chavista|"
                              r"incumbent|challenger|capres|paslon|petahana|penantang|contrincante|abanderado)"
                              r"(?:\s++\w++){0,3}[\s,:]*$")
#: the second figure of a pair: "51,2 % contra 44 %", "7.3 million to 3.3 million"
PAIR_BEFORE = re.compile(r"(?:^|\W)(?:contra|frente\s+al?|versus|vs\.?|against|ante|melawan|dibanding)\s+"
                         r"(?:(?:el|la|los|las|o|a|os|as|the|un|um|sus?|seus?|apenas|only|solo|just)\s+)?$")
#: "principal rival de Putin", "Putin's opponent": a name that completes a rival noun is not the subject
RIVAL_OF = re.compile(r"\b(?:rival|opponent|challenger|opositor|adversario|contrincante|oponente|lawan|pesaing)"
                      r"(?:\s++\w++){0,3}\s+(?:de|of|do|da|del|to)\s+$")
#: between a number and a later name: "… contra su principal perseguidor (X)", "… over his rival X"
RIVAL_BETWEEN = re.compile(r"\b(?:rival|opponent|challenger|opositor|adversario|contrincante|contendiente|oponente|"
                           r"perseguidor|lawan|pesaing|adversario)\b[\s,(:]*+(?:\w++\s++){0,2}$")
OPPONENT_BEFORE = re.compile(r"\b(?:his|her|their|su|sus)\s+(?:\w+\s+)?(opponent|rival|contrincante|contendiente|"
                             r"adversario)(?:'s)?[\s,]*+(?:[\w'.-]++\s++){0,3}$")
VOTE_CONTEXT = re.compile(r"\b(votes?|votos?|sufragios|ballots|boletas|suara)\b")
WORD = re.compile(r"^\s*([a-z][a-z'\-]+)")
#: nouns for people ("56.43 million people", "110 juta warga", "45.6 million Russians"): neutral, the context
#: decides (the register, the voters, a candidate's votes)
PEOPLE = re.compile(r"^\s*(?:de\s+|d[oa]s\s+)?(?:" + _q("people") + r")\b")
#: "registered", "enlisted", "estavam registradas para votar", "memenuhi syarat untuk memilih": the register
ELIGIBLE = re.compile(r"\b(?:" + _q("eligible") + r")\b")
#: "578,039 out of 580,918 registered voters took part": the first count is of those who voted
OUT_OF = re.compile(r"^\s*(?:out\s+of|of|de|dari|dos|das|sobre)\s+(?:the\s+|los\s+|las\s+|os\s+|as\s+)?\d[\d.,]*+\s+")
VOTED_ANY = re.compile(r"\b(?:" + _q("voted") + r"|took\s+part|attended|acudieron|votaron|votaram|compareceram)\b")
#: "of a total of 21,769,958 votes", "dari total 21.769.958 suara", "de un total de …": the valid votes
TOTAL_OF_AFTER = re.compile(r"^\s*(?:cast|emitidos|emitidas|[,;.)–-]|$|(?:in|en|em|di|but|pero|mas|frente|contra)\b)")
TOTAL_OF_BEFORE = re.compile(r"(?:\b(?:out\s+)?of\s+(?:a\s+|the\s+)?total\s+(?:of\s+)?|\bdari\s+total\s+|\bnum\s+total\s+de\s+|"
                             r"\bde\s+(?:un\s+|um\s+)?total\s+de\s+|\bd[eo]l?\s+total\s+de\s+)$")
#: "649,600 Chechen voters": a word (a demonym) between the count and the voters
_ARTICLES = {"the", "el", "la", "los", "las", "o", "a", "os", "as", "um", "uma", "un", "una", "these", "those", "its", "their"}
ELECTORS_AFTER_WORD = re.compile(r"^\s*([a-z][a-z'\-]+)\s+(?:voters|electors|votantes|electores|eleitores|pemilih)\b")
LINKING = {"of", "de", "the", "el", "la", "los", "las", "del", "in", "en", "and", "y", "to", "a", "for", "por",
           "para", "on", "at", "with", "con", "from", "desde", "by", "as", "que", "than", "or", "o", "is", "was",
           "were", "are", "se", "ha", "han", "fue", "es", "son", "mas", "more", "vs", "versus", "against", "contra",
           "frente", "each", "cada", "respectively", "respectivamente", "while", "mientras", "but", "pero",
           # "85.607.362 atau 55,50 persen", "16.231.668 ou 65,7 %": "or" links two forms of one figure
           "atau", "ou", "e", "dan", "yakni", "yaitu"} | set(vocab.phrases("grammar", "function_words"))


@dataclass
class Resolution:
    quantity: str  # one of facts.QUANTITIES, or 'money', 'other', 'none'
    candidate: str | None = None
    opponent: str | None = None
    region: str | None = None
    why: list[str] = field(default_factory=list)


def classify(m: Mention, f: str, sent_start: int, sent_end: int, prev: "Resolution | None",
             prev_mention: Mention | None, has_candidate: bool = False) -> Resolution:
    """Decide the quantity of number ``m`` from folded document text ``f``."""
    before = f[max(sent_start, m.start - 90):m.start]
    after = re.sub(r"^\s*\([^)]*\)", "", f[m.end:min(sent_end, m.end + 80)])
    clause_before = re.split(r"[;:]|\s-\s|—", before)[-1]
    if m.unit == "money":
        return Resolution("money", why=["a sum of money"])
    if m.unit == "ratio":
        return Resolution("ratio", why=["a ratio word"])
    if m.unit in ("points", "percent") and THRESHOLD.match(after):
        if (m.unit == "percent" and BOUND_BEFORE.search(clause_before)
                and TURNOUT.search(f[sent_start:m.start])):
            # "turnout, which was well over the 50 percent hurdle required": the turnout stated against the
            # threshold (a bound, read by the hedge), not the threshold alone
            return Resolution("turnout", why=["a turnout stated above or below a threshold"])
        return Resolution("other", why=["a threshold, not a result"])
    if m.unit == "points":
        if REPORT_GAP.match(after):
            return Resolution("other", why=["a gap between two reports, not between candidates"])
        if ELECTION_GAP.match(after):
            return Resolution("other", why=["a change from another election, not a margin between candidates"])
        if TURNOUT.search(clause_before[-50:]):
            return Resolution("other", why=["a change in turnout, not a level"])
        return Resolution("margin_points", why=["percentage points"])
    if m.unit == "percent":
        if NOT_VOTERS_AFTER.match(after) or NOT_VOTES_BEFORE.search(clause_before):
            return Resolution("other", why=["a percentage of the population (or the economy), not of the vote"])
        if (INVALID.search(after[:30]) or INVALID.search(clause_before[-25:])
                or INVALID_VERB.match(after)):
            return Resolution("invalid", why=["percent of null/invalid votes"])
        if SHARE_OF_VOTES_TO.match(after) or SHARE_SUPPORTING.match(after):
            return Resolution("share", why=["percent of the votes going to a candidate"])
        if COVERAGE_NOUN_COUNTED.match(after):
            return Resolution("coverage", why=["share of counting units (a counting participle after the units)"])
        if (TURNOUT.search(clause_before[-60:]) or TURNOUT_AFTER.search(after) or TURNOUT_OF_ELECTORS.match(after)
                or (not has_candidate and TURNOUT.search(f[sent_start:sent_end]) and not OF_THE_VOTE.match(after))
                or (not has_candidate and OF_THE_VOTERS.match(after))):
            return Resolution("turnout", why=["turnout cue"])
        if not has_candidate and (VOTED_BEFORE_PCT.search(clause_before[-40:]) or OF_ELECTORS_VOTED.match(after)):
            # "de los que votó un 65,43 por ciento", "64 percent of Russia's 109 million voters had cast ballots"
            return Resolution("turnout", why=["a percentage of the electors who voted"])
        if (COVERAGE.search(after) or COVERAGE_AFTER2.search(after) or COVERAGE_BEFORE.search(clause_before)
                or COVERAGE_COUNTED_AFTER.match(after)
                or (VOTES_COUNTED.match(after) and (WITH_BEFORE.search(clause_before) or not has_candidate))
                or (re.match(r"^\s*(?:del\s+total|of\s+the\s+total|of\s+all|do\s+total|dari\s+total)\b", after)
                    and _unit_word_governs(f[sent_start:m.start]))):
            return Resolution("coverage", why=["share of counting units"])
        if PERCENT_PAIR_AFTER.match(after) or PERCENT_PAIR_BEFORE.search(clause_before):
            # "won by a 55.5 percent to 44.5 percent margin": two shares, not a margin
            return Resolution("share", why=["'X percent to Y percent': a pair of shares"])
        if ((MARGIN_BEFORE.search(clause_before) and not OF_THE_VOTE.match(after))
                or MARGIN_WORD.search(clause_before[-60:])
                or (OR_FORM.search(clause_before) and MARGIN_WORD.search(clause_before[-90:]))):
            # "selisih … mencapai 14.551.982 atau 12,46 persen": the second form of a margin is a margin too
            return Resolution("margin_points", why=["a margin written with % is percentage points"])
        return Resolution("share", why=[DEFAULT_SHARE])
    # counts
    if ELECTION_GAP.match(after) or (GAP_BEFORE.search(clause_before) and GAP_AFTER.match(after)):
        return Resolution("other", why=["a change from another election, not a count of this one"])
    # "50.785 fueron nulos", "more than 11 million votes were valid"
    late = re.match(r"^\s*(?:,\s*)?(?:(?:votes|votos|ballots)\s+)?(?:fueron|were|son|are|eran|foram|sao)\s+"
                    r"(validos|valid|nulos|null|invalid|invalidos)\b", after)
    if late:
        return Resolution("valid" if late.group(1).startswith("valid") else "invalid", why=["'… were valid/null'"])
    if NOT_COUNTED.search(after[:50]):
        return Resolution("other", why=["votes not yet counted are not in the data"])
    if OUT_OF.match(after) and VOTED_ANY.search(after[:90]):
        return Resolution("ballots", why=["'N out of M … voted': those who voted"])
    if REGISTERED_BEFORE.search(clause_before[-80:]) and PEOPLE_AFTER.match(after) and not BALLOTS_AFTER.match(after):
        return Resolution("registered", why=["the register named before the count"])
    if TURNOUT_OF_COUNT.search(clause_before) and m.readings and m.readings[0].value >= 1000:
        return Resolution("ballots", why=["a count of the turnout ('turnout of N'): the votes cast"])
    if VOTED_FOR.search(after):
        return Resolution("votes", why=["'… voted for X'"])
    if CITIZENS_REGISTERED.search(after):
        return Resolution("registered", why=["citizens called to vote"])
    if MARGIN_AFTER.search(after):
        return Resolution("margin_votes", why=["a vote majority/margin"])
    if VALID_BEFORE.search(clause_before):
        return Resolution("valid", why=["valid votes"])
    if BALLOTS_AFTER.search(after) and not INVALID_VERB.match(after):
        return Resolution("ballots", why=["people who voted"])
    if INVALID_AFTER.search(after) or INVALID_VERB.match(after):
        return Resolution("invalid", why=["null/invalid votes"])
    if VALID.search(after):
        if has_candidate and GOT_BEFORE.search(clause_before[-30:]):
            return Resolution("votes", why=["'X obtuvo N votos válidos': the candidate's valid votes"])
        return Resolution("valid", why=["valid votes"])
    if CAST_AFTER.match(after) and not has_candidate:
        return Resolution("ballots", why=["votes cast ('suara yang masuk', 'votes cast')"])
    if VOTES.search(after):
        if TOTAL_OF_BEFORE.search(clause_before):
            return Resolution("valid", why=["'of a total of N votes': the valid votes"])
        if MARGIN_BEFORE.search(clause_before) or MARGIN_WORD.search(clause_before) or \
                MARGIN_NOUN_BEFORE.search(clause_before):
            return Resolution("margin_votes", why=["a margin in votes"])
        return Resolution("votes", why=["votes"])
    if TOTAL_OF_BEFORE.search(clause_before) and TOTAL_OF_AFTER.match(after):
        # "85 million votes of a total of 154 million cast", "num total de 154 milhões, mas …"
        return Resolution("valid", why=["'of a total of N' after a candidate's votes: the valid votes"])
    ew = ELECTORS_AFTER_WORD.match(after)
    if ELECTORS.search(after) or (ew and ew.group(1) not in LINKING and ew.group(1) not in _ARTICLES):
        ctx = clause_before[-50:] + after[:40]
        if REGISTERED_CUE.search(ctx) or ELIGIBLE.search(ctx) or re.match(r"\s*(?:de\s+)?(electores|electors|inscritos)", after):
            return Resolution("registered", why=["registered electors"])
        return Resolution("ballots", why=["voters who voted"])
    if VOTED_BEFORE.search(clause_before) and re.match(r"^\s*(?:[,;.)(]|$|y\b|and\b|e\b|dan\b)", after):
        return Resolution("ballots", why=["'participaron N', 'N voted': the number who voted"])
    if MARGIN_NOUN_BEFORE.search(clause_before):
        return Resolution("margin_votes", why=["a margin noun right before the count ('dengan selisih N')"])
    if UNITS.search(after):
        return Resolution("units", why=["counting units"])
    if (of_m := OF_A_TOTAL.match(after)) and UNITS.match(after[of_m.end():]):
        # "405.611 dari 813.350 tempat pemungutan suara", "1,200 of the 30,026 voting tables": the units of a total
        return Resolution("units", why=["'N of M units': a count of the units"])
    if UNITS_BEFORE.search(clause_before):
        return Resolution("units", why=["the units named before the count ('total TPS … sebanyak N')"])
    if CENTRES.search(after):
        return Resolution("other", why=["voting centres are not the counting unit"])
    if MARGIN_BEFORE.search(clause_before) or MARGIN_WORD.search(clause_before[-60:]):
        return Resolution("margin_votes", why=["a margin"])
    if (prev is not None and prev_mention is not None and prev.quantity in ("votes", "share")
            and prev_mention.unit == m.unit and TO_LINK.search(_link_text(f, prev_mention, m))):
        return Resolution(prev.quantity, why=[f"'X {prev.quantity} to Y': second figure of a pair"])
    if re.match(r"^\s*(?:de\s+)?(?:personas|people)\b", after) and TURNOUT.search(f[sent_start:sent_end]):
        return Resolution("ballots", why=["people who voted (turnout sentence)"])
    if PEOPLE.match(after):
        ctx = clause_before[-60:] + " " + after[:70]
        if ELIGIBLE.search(ctx) or REGISTERED_CUE.search(ctx):
            return Resolution("registered", why=["people who may vote: the register"])
        if TURNOUT.search(f[sent_start:sent_end]) or BALLOTS_AFTER.search(re.sub(PEOPLE, "", after, count=1)):
            return Resolution("ballots", why=["people who voted"])
        vc = VOTED_CUE.search(clause_before[-60:])
        if vc and not re.search(r"(?:was|were|been|fue|foi)\s+$", clause_before[-60:][:vc.start()]):
            # ("he was voted 56,43 million people" is the candidate's votes: below)
            # "en los que votaron cerca de 76 millones de ciudadanos", "pengguna hak pilih … sebanyak N orang"
            return Resolution("ballots", why=["people after a voting verb: the number who voted"])
        if m.readings and m.readings[0].value >= 1000 and has_candidate:
            return Resolution("votes", why=["people in a sentence naming a candidate: the candidate's votes"])
        return Resolution("other", why=["people, not votes"])
    w = WORD.match(after)
    if w and w.group(1) not in LINKING and m.end < sent_end:
        return Resolution("other", why=[f"counts '{w.group(1)}', not a quantity in the data"])
    if re.match(r"^\s*(?:de\s+)?(?:personas|people|voters|votantes)\b", after):
        if TURNOUT.search(f[sent_start:sent_end]):
            return Resolution("ballots", why=["people who voted (turnout sentence)"])
        return Resolution("other", why=["people, not votes"])
    if m.readings and m.readings[0].value >= 1000 and (has_candidate or VOTE_CONTEXT.search(f[sent_start:sent_end])):
        return Resolution("votes", why=["a large count in a sentence about votes"])
    return Resolution("none", why=["no quantity named"])


def _unit_word_governs(before: str) -> bool:
    """"… de las actas, X got N votes, equal to 51 % del total": "del total" is about the last noun counted;
    a unit word governs it only when no vote noun comes after it."""
    last = None
    for last in UNIT_WORDS.finditer(before):
        pass
    return last is not None and not VOTE_CONTEXT.search(before[last.end():])


def _link_text(f: str, a: Mention, b: Mention) -> str:
    """Text between two numbers with any possessive name removed ("to Maduro's")."""
    mid = re.sub(r"\([^)]*\)", "", f[a.end:b.start])
    return mid if len(mid) <= 45 and not re.search(r"[.;:]", mid) else ""


def bind_candidate(m: Mention, hits: list[NameHit], f: str, sent_start: int, sent_end: int,
                   bound: set[int], quantity: str = "") -> tuple[str | None, str]:
    """The candidate a number is about, with the rule used."""
    if not hits:
        return None, "no candidate named in the sentence"
    for h in hits:
        if 0 <= h.start - m.end <= 40 and FOR_AFTER.search(f[m.end:h.start]):
            return h.key, "named after the number ('for …')"
        if 0 <= h.start - m.end <= 70 and APPOSITION_AFTER.search(f[m.end:h.start]):
            return h.key, "named in apposition after the number ('of the opposition candidate, X')"
        if (0 <= h.start - m.end <= 50 and not h.possessive
                and ELLIPTIC_TO.match(f[m.end:h.start]) and re.search(r"(?:,|\band)\s+$", f[max(sent_start, m.start - 6):m.start])
                and not re.search(r"\d", f[h.end:sent_end])):
            # "6.23 percent went to X, and 3.85 percent to Y": the verb left out, the name after "to" is the figure's
            return h.key, "named after the number ('…, and N to X': the verb left out)"
    oa = OPPONENT_AFTER.match(f[m.end:min(sent_end, m.end + 60)])
    if oa:
        # "44,2 % de seu principal opositor, Edmundo González": the apposition names him; else the rival of
        # the candidate named before
        named = [h for h in hits if 0 <= h.start - (m.end + oa.end()) <= 25
                 and re.match(r"^[\s,:-]*+(?:[\w.]++\s++){0,3}$", f[m.end + oa.end():h.start])]
        if named:
            return named[0].key, "'of his rival, X': the name in apposition"
        before = [h for h in hits if h.end <= m.start]
        if before:
            return "~" + before[-1].key, "'of his rival': the opponent of the candidate named before"
    w0 = max(sent_start, m.start - 40)
    ob = OPPONENT_BEFORE.search(f[w0:m.start])
    if ob:
        # "his rival Prabowo Subianto at 44.5 %": the rival named right after the noun is the subject
        named = [h for h in hits if w0 + ob.end(1) <= h.start and h.end <= m.start]
        if named:
            return named[0].key, "'his rival X': the name in apposition"
        before = [h for h in hits if h.end <= m.start]
        if before:
            return "~" + before[-1].key, "'his rival': the opponent of the candidate named before"
    for h in hits:
        if h.possessive and 0 <= m.start - h.end <= 4:
            return h.key, "possessive before the number"
    # "... votes for Maduro", "51,2 % para Maduro"
    for h in hits:
        if 0 <= h.start - m.end <= 40 and FOR_AFTER.search(f[m.end:h.start]):
            return h.key, "named after the number ('for …')"
    # "... Maduro: 5.150.092" / "González, con 67 %"
    objects = [h for h in hits if h.end <= m.start and re.search(
        r"\b(a|over|beat|beats|defeated|trounced|routed|crushed|thrashed|derroto\s+a|vencio\s+a|supero\s+a|aventajo\s+a|"
        r"against|frente\s+a|venceu|derrotou|superou|vencido|derrotado|superado|beaten|mengalahkan|"
        r"mengungguli|contra|melawan|menang\s+(?:dari|atas)|unggul\s+(?:dari|atas))\s+"
        # "venceu a disputa contra o presidente Nicolás Maduro": a title between the verb and the name
        r"(?:(?:o|a|el|la|al|the|to|ao|sang)\s+)?(?:(?:actual|atual|incumbent|sitting)\s+)?"
        r"(?:(?:presidente|president|candidato|candidate|lider|leader|rival|opositor|mandatario|petahana|capres)\s+|"
        # "menang dari pasangan nomor urut 02, Prabowo-Sandiaga": the ticket's number before the name
        r"(?:pasangan|paslon)(?:\s+(?:calon|capres-cawapres))?(?:\s+nomor\s+urut\s+\d\d?)?[\s,]+)?$",
        f[max(0, h.start - 40):h.start])]
    if objects and quantity in ("margin_votes", "margin_points", "ratio"):
        others = [h for h in hits if h.end <= m.start and h.key != objects[-1].key]
        if others:
            return others[-1].key, "subject of the verb whose object is the other candidate"
        return "~" + objects[-1].key, "the object of the verb is the opponent"
    before = [h for h in hits if h.end <= m.start and id(h) not in bound and not
              (h.possessive and m.start - h.end > 4 and _owned_elsewhere(h, f))
              and not RIVAL_OF.search(f[max(sent_start, h.start - 50):h.start])]
    if before:
        h = before[-1]
        return h.key, "nearest name before the number"
    after = [h for h in hits if h.start >= m.end and not (h.possessive and _owned_elsewhere(h, f))]
    if after:
        if RIVAL_BETWEEN.search(f[m.end:after[0].start]):
            # "obtuvo el 60 %, … contra su principal perseguidor (Francisco Arias)": the name introduced as
            # the rival is the opponent; the figure is the other leading candidate's
            return "~" + after[0].key, "the name after the number is introduced as the rival"
        return after[0].key, "nearest name after the number"
    return None, "no candidate named in the sentence"


def _owned_elsewhere(h: NameHit, f: str) -> bool:
    """A possessive name owns the number right after it, not earlier/later ones."""
    return bool(re.match(r"'s\s+(?:\$?\d|\w+\s+million|\w+\s+votes)", f[h.end:h.end + 30]))
