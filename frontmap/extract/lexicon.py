"""Word lists that are facts of the English language and of newsroom style, not of any article.

They keep ordinary capitalised words (sentence starts, months, titles, demonyms, agencies) from
being read as villages that happen to share their spelling.
"""

from __future__ import annotations

MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})

#: Frequent English function and content words that start sentences or headlines.
COMMON_WORDS = frozenset("""
a about above after again against all also although among an and another any are around as at
away back be because been before being below between both but by can could did do does down
during each early either even every few for from further had has have having he her here hers
him his how however i if in into is it its just last late later least less like little many may
me might more most much must my near neither new next no nor not now of off often on once one
only or other our out over own per perhaps same several she should since so some still such than
that the their them then there these they this those though through thus to today together too
toward towards under until up upon us very was we well were what when where whether which while
who whom whose why will with within without would yet you your yesterday tomorrow tonight
meanwhile moreover furthermore nevertheless elsewhere overnight earlier later recently according
reportedly separately additionally notably instead likely unlikely further first second third
fourth fifth sixth seventh eighth ninth tenth north south east west northern southern eastern
western central northeast northwest southeast southwest upper lower greater small big great old
red white black green blue golden sunny happy peace hope victory glory freedom unity friendship
day week month year morning evening night noon dawn spring summer autumn winter fall
army forces troops units brigade battalion regiment division corps group front line lines
defense defence ministry staff general command officials official sources source source's
president minister spokesman spokesperson spokeswoman governor mayor head chief commander
russian russians russia's ukrainian ukrainians ukraine's soviet western european american british
french german polish belarusian chechen wagner kremlin nato un us eu
footage imagery video photos map maps report reports statement briefing update assessment
ukraine russia belarus donbas donbass europe africa america
islam islamic muslim christian orthodox catholic jihad jihadi jihadist
hamas hezbollah houthi houthis tatmadaw junta militia militias rebels insurgents paramilitary
pantsir tor buk osa krasnopol iskander kalibr kinzhal shahed shaheds geran tochka tornado grad uragan
smerch lancet himars atacms vostok sparta
isw reuters tass ria interfax ap afp cnn bbc rt ukrinform suspilne
river bridge road highway railway station plant airport airfield base port island forest
city town village settlement oblast region raion district hromada direction sector axis
""".split())

#: Words before a capitalised name that make it a person's name, not a place.
PERSON_TITLES = frozenset({
    "president", "general", "gen", "lieutenant", "lt", "colonel", "col", "major", "maj", "captain",
    "capt", "sergeant", "sgt", "minister", "spokesman", "spokesperson", "spokeswoman", "mr", "mrs",
    "ms", "dr", "governor", "mayor", "commander", "chief", "head", "deputy", "secretary", "senator",
    "prime", "premier", "admiral", "marshal", "blogger", "milblogger", "journalist", "correspondent",
    "analyst", "prof", "professor", "saint", "st",
})

#: Surnames and given names of people who dominate war reporting (leaders, commanders,
#: spokesmen, war bloggers). Many are also the Russian or Polish form of some village's name
#: ("Putin", "Gerasimov", "Peskov"); named alone, they are the person.
PUBLIC_FIGURES = frozenset("""
putin shoigu gerasimov peskov lavrov medvedev belousov surovikin lapin teplinsky mordvichev
prigozhin utkin kadyrov alaudinov girkin strelkov pushilin pasechnik saldo balitsky patrushev
zakharova konashenkov nebenzya kiriyenko kozak naryshkin bortnikov zolotov sobyanin volodin
zelensky zelenskyy zelenskiy zaluzhnyi zaluzhny syrskyi syrsky budanov umerov reznikov kuleba
sybiha yermak podolyak podoliak shmyhal klitschko kim stoltenberg rutte biden trump scholz
macron sunak starmer erdogan lukashenko netanyahu gallant sinwar haniyeh nasrallah burhan
hemedti dagalo goita wagner molotov stalin lenin
""".split())

#: Given names that are also place names ("Vladimir" the city): before a capitalised word they
#: are a person's first name ("Vladimir Rogov").
GIVEN_NAMES = frozenset("""
vladimir volodymyr dmitry dmitri dmytro sergei sergey serhiy serhii oleksandr alexander aleksandr
andriy andrii andrei andrey yevgeny yevgeniy yevhen valery valeriy valerii kyrylo kirill denis
denys ivan igor ihor viktor oleg oleh mykola nikolai pavlo pavel yuri yuriy yurii vitaly vitaliy
vitalii ramzan alexei aleksei alexey mikhail mykhailo petro pyotr roman anatoly anatolii
svyatoslav stepan bohdan taras vasyl vasily maria olena iryna anna natalia tatiana yulia
""".split())

#: First words of many multi-word names ("Nova Kakhovka", "Velyka Novosilka"). Alone before
#: another capitalised word they are part of a name the text misspells, not a village "Nova".
NAME_PREFIXES = frozenset("""
nova nove novyi novi novo velyka velyke velykyi velyki mala male malyi mali stara stare staryi
verkhnia verkhnie verkhnii nyzhnia nyzhnie nyzhnii chervona chervone chervonyi krasna krasnyi
""".split())

#: Prepositions after which a capitalised word is very likely a place.
PLACE_PREPOSITIONS = frozenset({
    "in", "near", "of", "from", "to", "toward", "towards", "around", "at", "outside", "into", "on", "by",
    "between", "and", "or", "through", "across", "past", "beyond", "within", "via", "over", "behind",
    "entered", "captured", "seized", "liberated", "recaptured", "retook", "took", "occupied", "struck",
    "hit", "shelled", "attacked", "stormed", "encircled", "bypassed", "approached", "reached",
})

#: Words after a place name that say what kind of place it is.
REGION_WORDS = frozenset({"oblast", "region", "province", "oblast's", "region's"})
DISTRICT_WORDS = frozenset({"raion", "district", "rayon", "raion's", "district's"})
HROMADA_WORDS = frozenset({"hromada", "community", "municipality"})
CITY_WORDS = frozenset({"city", "city's"})
RIVER_WORDS = frozenset({"river", "river's"})
RESERVOIR_WORDS = frozenset({"reservoir", "reservoir's", "lake"})
#: Words after a name that make it a facility named after a place, not the place itself.
FACILITY_WORDS = frozenset({"plant", "bridge", "airport", "airfield", "airbase", "factory", "works", "port",
                            "station", "mine", "refinery", "depot", "stadium", "university", "hotel",
                            "street", "avenue", "square", "district's", "group", "brigade", "battalion",
                            "regiment", "division", "corps", "army", "fleet"})
