"""The scripted team's children: forty fictional children, each with the facts the
generated records draw on (household, risks, identity needs). Names are fictional."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kid:
    ref: str
    name: str                 # full name as recorded
    known_as: str             # the name used in the text
    sex: str                  # "f" or "m": pronouns in the generated text
    age: tuple[int, int]      # years, months (today)
    ethnicity: str
    religion: str
    language: str
    plan: str
    plan_start: int           # the plan (placement, arrangement) started N working days ago
    risks: tuple[str, ...]
    worker: str               # allocated worker's username
    household: tuple[tuple[str, str], ...]   # (name, role) usually there
    absent: tuple[tuple[str, str], ...] = ()  # (name, role) expected, often missing
    carer: str = ""           # how the text names the main carer ("Ms Walsh")
    interpreter_for: str = ""  # "", "child", "parent" or "both"
    interpreter_language: str = ""
    disability: str = "None known"
    long_term: bool = False
    carers_different: str = "na"   # placed with carers of a different ethnicity
    carers_meet_needs: str = ""
    needs: str = ""
    how_met: str = ""
    school: str = ""
    nonverbal: bool = False
    days_old: int = 0         # extra days of age, so birthdays are spread out
    tags: str = ""            # extra context words for the phrase lists (e.g. "uasc")


KIDS: tuple[Kid, ...] = (
    Kid("RV-1001", "Kayden Walsh", "Kayden", "m", (6, 4), "White British", "None", "English",
         "child_protection", 80, ("Neglect of basic care", "Parental substance misuse"), "sam",
         (("Stacey Walsh", "mother"), ("Mia Walsh", "sister, aged 3")),
         (("Lee Harper", "mother's partner (stays at the address most nights)"),),
         carer="Ms Walsh", school="Riverside Primary School",
         needs="Kayden's identity as a big brother matters to him, and he supports Leeds United "
               "like his grandad.",
         how_met="Maternal grandfather takes him to a match once a month; this is written into "
                 "the family network plan.", days_old=40),
    Kid("RV-1002", "Amira Begum", "Amira", "f", (9, 2), "Asian British - Bangladeshi", "Muslim",
         "English (Sylheti at home)", "child_protection", 60,
         ("Exposure to domestic abuse", "Parental mental ill-health"), "sam",
         (("Rokeya Begum", "mother"),), (("Shirin Begum", "maternal aunt (safety network)"),),
         carer="Ms Begum", interpreter_for="parent", interpreter_language="Sylheti",
         school="Riverside Primary School",
         needs="Amira goes to Qur'an classes at the mosque after school and eats halal food; "
               "she wants to fast for part of Ramadan like her cousins.",
         how_met="Mother walks her to classes; school provides halal meals; the refuge worker "
                 "has linked mother with a Bengali-speaking women's group.", days_old=100),
    Kid("RV-1003", "Zofia Wiśniewska", "Zofia", "f", (12, 7), "White - Polish", "Roman Catholic",
         "Polish", "child_protection", 50,
         ("Exposure to domestic abuse", "Parental alcohol misuse"), "priya",
         (("Katarzyna Wiśniewska", "mother"), ("Kacper Wiśniewski", "brother, aged 8")),
         (("Marek Wiśniewski", "father (agreed to attend, at work)"),),
         carer="Mrs Wiśniewska", interpreter_for="parent", interpreter_language="Polish",
         school="Oakfield Academy",
         needs="Zofia goes to Polish Saturday school and to Mass with her mother; she is "
               "preparing for her Confirmation.",
         how_met="Mother continues Saturday school; at mother's request the parish priest knows "
                 "about the support plan.", days_old=12),
    Kid("RV-1004", "Riley Thompson", "Riley", "m", (0, 3), "White British", "None", "English",
         "child_protection", 20,
         ("Unsafe sleeping", "Parental substance misuse", "Neglect of basic care"), "tom",
         (("Jade Thompson", "mother"), ("Sharon Thompson", "maternal grandmother (lives there)")),
         (("Connor Price", "father (expected, did not attend)"),),
         carer="Ms Thompson",
         needs="Riley is too young to say; his mother wants him to know his father's Irish "
               "family as he grows up.",
         how_met="Paternal grandmother's weekly visits are part of the family network plan.",
         days_old=5),
    Kid("RV-1005", "Ioana Popescu", "Ioana", "f", (7, 1), "White - Romanian",
         "Romanian Orthodox", "Romanian", "child_protection", 35,
         ("Neglect of basic care", "Poor school attendance"), "priya",
         (("Elena Popescu", "mother"), ("Andrei Popescu", "brother, aged 4"),
          ("Florin Popescu", "maternal uncle")),
         (("Mihai Popescu", "father (working away in Birmingham)"),),
         carer="Mrs Popescu", interpreter_for="parent", interpreter_language="Romanian",
         school="Riverside Primary School",
         needs="Ioana is learning English fast; the family speak Romanian at home and go to the "
               "Romanian Orthodox church on Sundays.",
         how_met="School has a Romanian-speaking teaching assistant; mother takes the children "
                 "to church each Sunday.", days_old=70),
    Kid("RV-1006", "Hamza Farah", "Hamza", "m", (10, 5), "Black African - Somali", "Muslim",
         "Somali and English", "child_protection", 55,
         ("Physical harm", "Exposure to domestic abuse"), "tom",
         (("Hodan Ali", "mother"), ("Ayan Farah", "sister, aged 6")),
         (("Abdi Farah", "father (expected, did not attend)"),),
         carer="Ms Ali", interpreter_for="parent", interpreter_language="Somali",
         school="Northgate Primary School",
         needs="Hamza goes to madrasa at the weekend and plays for a Somali youth football team.",
         how_met="Mother pays for madrasa; the football club's youth worker is part of the "
                 "safety network.", days_old=20),
    Kid("RV-1007", "Leon Campbell", "Leon", "m", (15, 3), "Mixed - White and Black Caribbean",
         "Christian", "English", "child_protection", 40,
         ("Criminal exploitation (county lines)", "Going missing"), "sam",
         (("Michelle Campbell", "mother"),),
         (("Devon Campbell", "father (lives separately; agreed to attend)"),),
         carer="Ms Campbell", school="Northgate High School",
         needs="Leon talks about being mixed race and feeling stopped by police more than his "
               "white friends; he is close to his Caribbean grandmother.",
         how_met="Referred to a Black-led mentoring project; Sunday dinner at his grandmother's "
                 "is encouraged in the plan.", days_old=60),
    Kid("RV-1008", "Maisie Hughes", "Maisie", "f", (4, 6), "White British", "None", "English",
         "child_protection", 45, ("Neglect of basic care", "Parental mental ill-health"), "student",
         (("Kerry Hughes", "mother"),), (("Dean Hughes", "father (expected, at work)"),),
         carer="Ms Hughes", school="Little Acorns Nursery",
         disability="Global developmental delay; speech and language delay (referred to speech "
                    "and language therapy)",
         needs="Maisie's speech delay means she is easily overlooked; she loves music and "
               "singing.",
         how_met="Nursery uses Makaton and picture cards with her; speech and language therapy "
                 "appointment booked.", days_old=30),
    Kid("RV-1009", "Ayaan Hussain", "Ayaan", "m", (1, 4), "Asian British - Pakistani", "Muslim",
         "Urdu and English", "child_protection", 40,
         ("Physical harm (unexplained bruising)", "Parental mental ill-health"), "awaiting",
         (("Samina Hussain", "mother"), ("Nasreen Hussain", "paternal grandmother")),
         (("Imran Hussain", "father (expected, at work)"),),
         carer="Mrs Hussain", interpreter_for="parent", interpreter_language="Urdu",
         needs="Ayaan is being brought up in a Muslim, Urdu-speaking household with his "
               "paternal grandmother closely involved.",
         how_met="The health visitor uses an Urdu interpreter for mother's appointments; the "
                 "perinatal mental health team has a Punjabi and Urdu speaking worker.",
         days_old=15),
    Kid("RV-1010", "Tyler Jones", "Tyler", "m", (13, 8), "White British", "None", "English",
         "child_protection", 90, ("Physical harm", "Emotional harm"), "manager",
         (("Donna Jones", "mother"), ("Gary Jones", "stepfather")), (),
         carer="Ms Jones", school="Northgate High School",
         disability="ADHD (diagnosed; takes medication in the morning)",
         needs="Tyler's ADHD affects how he manages at school and at home; he is proud of his "
               "boxing.",
         how_met="School has an ADHD support plan; the boxing coach is part of his support "
                 "network.", days_old=3),
    Kid("RV-1011", "Siobhán O'Connor", "Siobhán", "f", (11, 2), "White - Irish Traveller",
         "Roman Catholic", "English", "child_protection", 70,
         ("Neglect of basic care", "Poor school attendance"), "priya",
         (("Bridget O'Connor", "mother"), ("Patrick O'Connor", "father")), (),
         carer="Mrs O'Connor", school="St Anne's Catholic Primary School",
         needs="Siobhán's family are Irish Travellers and travel in the summer; she is proud of "
               "her family and worried about being bullied at school.",
         how_met="The Traveller Education Service supports attendance and a distance-learning "
                 "pack for the summer; school is addressing the name-calling.", days_old=80),
    Kid("RV-1012", "Omar Al-Hassan", "Omar", "m", (8, 9), "Arab - Syrian", "Muslim",
         "Arabic", "child_protection", 30,
         ("Exposure to domestic abuse", "Physical harm"), "tom",
         (("Rania Al-Hassan", "mother"), ("Khaled Al-Hassan", "father")),
         (("Lina Al-Hassan", "sister, aged 16 (at college)"),),
         carer="Mrs Al-Hassan", interpreter_for="both", interpreter_language="Arabic (Levantine)",
         school="Northgate Primary School",
         needs="Omar came to the UK two years ago through resettlement; the family are Muslim "
               "and Arabic-speaking, and Omar is still learning English.",
         how_met="School provides EAL support and halal meals; the family attend a Syrian "
                 "community group on Saturdays.", days_old=50),
    Kid("RV-1013", "Ellie-Mae Turner", "Ellie-Mae", "f", (14, 5), "White British", "None",
         "English", "child_protection", 30,
         ("Child sexual exploitation", "Going missing", "Self-harm"), "sam",
         (("Joanne Turner", "mother"),), (("Ryan Turner", "brother, aged 19"),),
         carer="Ms Turner", school="Oakfield Academy",
         needs="Ellie-Mae says nobody takes her seriously because of her age; her friendships "
               "matter a great deal to her.",
         how_met="She chose her own youth worker from the exploitation service and has a say in "
                 "the agenda of her core groups.", days_old=11),
    Kid("RV-1014", "Jakub Kowalczyk", "Jakub", "m", (5, 3), "White - Polish", "Roman Catholic",
         "Polish and English", "child_protection", 8, ("Neglect of basic care",), "awaiting",
         (("Agnieszka Kowalczyk", "mother"),),
         (("Paweł Kowalczyk", "father (expected, at work)"),),
         carer="Mrs Kowalczyk", school="Riverside Primary School",
         disability="Autism (diagnosed at 4); sensitive to noise; uses a visual timetable",
         needs="Jakub is bilingual in Polish and English; he needs routine and warning of "
               "changes because of his autism.",
         how_met="School uses his visual timetable; mother speaks Polish at home and is teaching "
                 "him to read in Polish.", days_old=90),
    Kid("RV-1015", "李明", "Ming", "m", (10, 6), "Chinese", "None", "Mandarin",
         "child_in_need", 90, ("Social isolation", "Unmet health needs (asthma)"), "priya",
         (("Wang Fang", "mother"),), (("Li Jun", "father (works in Manchester in the week)"),),
         carer="Ms Wang", interpreter_for="parent", interpreter_language="Mandarin",
         school="Northgate Primary School",
         needs="Ming and his mother moved from Shenyang last year; he misses his grandparents "
               "and speaks Mandarin at home.",
         how_met="Video calls with his grandparents each Sunday; a Mandarin-speaking mentor "
                 "from the Chinese community centre meets him fortnightly.", days_old=25),
    Kid("RV-1016", "Chidi Okonkwo", "Chidi", "m", (12, 1), "Black African - Nigerian",
         "Christian (Pentecostal)", "English and Igbo", "child_in_need", 12,
         ("Excessive young carer responsibilities",), "sam",
         (("Ngozi Okonkwo", "mother (has multiple sclerosis)"), ("Adaeze Okonkwo", "sister, aged 7")),
         (), carer="Mrs Okonkwo", school="Oakfield Academy",
         needs="Chidi's church is the centre of the family's support; he is proud to help his "
               "mother but misses football.",
         how_met="Church members help with the school run twice a week; young carers' group "
                 "on Thursdays.", days_old=44),
    Kid("RV-1017", "Ali Rahimi", "Ali", "m", (8, 2), "Asian - Afghan", "Muslim", "Dari",
         "child_in_need", 120, ("Unmet needs arising from disability", "Family isolation"),
         "tom", (("Fatima Rahimi", "mother"), ("Zahra Rahimi", "sister, aged 12")),
         (("Javid Rahimi", "father (expected, at work)"),),
         carer="Mrs Rahimi", interpreter_for="parent", interpreter_language="Dari",
         disability="Autism; non-verbal; communicates with PECS picture cards and some Makaton",
         needs="Ali's family are Dari-speaking Muslims from Kabul; his communication needs mean "
               "his views are gathered through PECS and observation.",
         how_met="The special school uses PECS at home and school; a Dari-speaking family "
                 "support worker visits fortnightly.", nonverbal=True,
         school="Brookside Special School", days_old=33),
    Kid("RV-1018", "Ruby Fletcher", "Ruby", "f", (9, 7), "White British", "None",
         "British Sign Language", "child_in_need", 12, ("Communication barriers at home",),
         "priya", (("Claire Fletcher", "mother"), ("Mark Fletcher", "father")), (),
         carer="Ms Fletcher", interpreter_for="child", interpreter_language="British Sign Language",
         disability="Deaf; BSL user; wears hearing aids",
         needs="Ruby is Deaf and BSL is her first language; her parents are hearing and are "
               "still learning to sign.",
         how_met="Parents are on a BSL level 1 course; Ruby attends a Deaf youth club on "
                 "Saturdays.", school="Riverside Primary School (hearing support base)",
         days_old=21),
    Kid("RV-1019", "Harvey Lewis", "Harvey", "m", (16, 4), "White British", "Church of England",
         "English", "child_in_need", 8, ("Carer breakdown",), "sam",
         (("Sarah Lewis", "mother"),), (), carer="Ms Lewis", school="Oakfield Academy (sixth form)",
         disability="Cerebral palsy (spastic quadriplegia); uses a powered wheelchair; speech "
                    "slow but clear",
         needs="Harvey wants the same independence as his friends; his disability is often "
               "seen before he is.",
         how_met="Occupational therapy assessment for adaptations; direct payments for a "
                 "personal assistant being set up.", days_old=58),
    Kid("RV-1020", "Nguyễn Thị Lan", "Lan", "f", (15, 2), "Asian - Vietnamese", "Buddhist",
         "Vietnamese", "child_in_need", 150, ("Poor school attendance", "Social isolation"),
         "awaiting", (("Trần Thị Hoa", "mother"),),
         (("Nguyễn Văn Minh", "father (expected, at work)"),),
         carer="Mrs Trần", interpreter_for="parent", interpreter_language="Vietnamese",
         school="Northgate High School",
         needs="Lan is Vietnamese and Buddhist; she translates for her parents, which she finds "
               "embarrassing.",
         how_met="Interpreters are booked for every meeting so Lan does not have to interpret; "
                 "she has joined the school's Vietnamese New Year group.", days_old=7),
    Kid("RV-1021", "Poppy Adams", "Poppy", "f", (3, 5), "White British", "None", "English",
         "child_in_need", 10, ("Unstable housing (temporary accommodation)", "Parental mental ill-health"),
         "student", (("Chelsea Adams", "mother"),),
         (("Jordan Reid", "father (expected, did not attend)"),),
         carer="Ms Adams", school="Little Acorns Nursery",
         needs="Poppy's routine has been disrupted by three moves this year; nursery is her "
               "one constant.",
         how_met="Housing has been asked to keep the family within reach of the nursery.",
         days_old=18),
    Kid("RV-1022", "Marcus Richards", "Marcus", "m", (14, 9), "Black British - Caribbean",
         "Christian", "English", "child_in_need", 14,
         ("School exclusion", "Criminal exploitation"), "tom",
         (("Angela Richards", "mother"),), (("Winston Richards", "grandfather"),),
         carer="Ms Richards", school="Northgate High School",
         needs="Marcus is proud of his Jamaican heritage and of his grandfather, who came to "
               "England in 1962.",
         how_met="His grandfather is involved in the plan; the mentoring project is Black-led.",
         days_old=9),
    Kid("RV-1023", "Fatima Zahra Benali", "Fatima Zahra", "f", (6, 11), "Arab - Moroccan",
         "Muslim", "Arabic and French", "child_in_need", 5, ("Overcrowded housing",), "manager",
         (("Nadia Benali", "mother"), ("Youssef Benali", "father")), (),
         carer="Mrs Benali", school="Riverside Primary School",
         needs="Fatima Zahra speaks Arabic and French at home and English at school.",
         how_met="School celebrates her languages in class; family to be linked with a "
                 "Moroccan community association.", days_old=66),
    Kid("RV-1024", "Şahin Yıldız", "Şahin", "m", (13, 6), "Kurdish (from Turkey)",
         "Muslim (Alevi)", "Kurdish (Kurmanji)", "child_in_need", 16,
         ("Poor emotional wellbeing", "Poor school attendance"), "priya",
         (("Zeynep Yıldız", "mother"),), (("Hüseyin Yıldız", "father (expected, at work)"),),
         carer="Mrs Yıldız", interpreter_for="parent", interpreter_language="Kurdish (Kurmanji)",
         school="Oakfield Academy",
         needs="Şahin's family are Alevi Kurds; he is sometimes assumed to be Turkish or Arab, "
               "which upsets him.",
         how_met="School has corrected his records; he goes to the Kurdish community centre's "
                 "music group.", days_old=27),
    Kid("RV-1025", "Olivia Price", "Olivia", "f", (10, 3), "White British", "None", "English",
         "child_in_need", 10, ("Excessive young carer responsibilities", "Parental mental ill-health"),
         "awaiting", (("Gemma Price", "mother"),), (),
         carer="Ms Price", school="Riverside Primary School",
         needs="Olivia cares for her mother and worries about her when she is at school.",
         how_met="Young carers' group on Tuesdays; school lets her phone her mother at lunch.",
         days_old=36),
    Kid("RV-1026", "Rahul Patel", "Rahul", "m", (7, 8), "Asian British - Indian", "Hindu",
         "English and Gujarati", "child_in_need", 15, ("Unmet health needs (type 1 diabetes)",),
         "sam", (("Priti Patel", "mother"), ("Kiran Patel", "father")), (),
         carer="Mrs Patel", school="Northgate Primary School",
         disability="Type 1 diabetes (insulin pump)",
         needs="Rahul's family are Gujarati Hindus; he is vegetarian and goes to the temple with "
               "his grandparents.",
         how_met="The diabetes nurse has adapted his meal plan to a vegetarian Gujarati diet.",
         days_old=14),
    Kid("RV-1027", "Semhar Tesfay", "Semhar", "f", (16, 1), "Black African - Eritrean",
         "Eritrean Orthodox Christian", "Tigrinya", "looked_after", 150,
         ("Poor emotional wellbeing (trauma)", "Going missing"), "tom",
         (("Susan Harris", "foster carer"), ("David Harris", "foster carer")), (),
         carer="Mrs Harris", interpreter_for="child", interpreter_language="Tigrinya",
         carers_different="yes",
         carers_meet_needs="The Harrises have found the Eritrean Orthodox church in town and "
                           "take Semhar on Sundays; they buy injera from the Eritrean shop and "
                           "are learning to cook shiro with her.",
         tags="uasc", needs="Semhar arrived in the UK alone; her faith, her language and news of her family "
               "matter most to her.",
         how_met="Tigrinya interpreter at every meeting; referred to the Red Cross family "
                 "tracing service; ESOL at college.", school="Northgate College (ESOL)",
         days_old=40),
    Kid("RV-1028", "Ahmad Zadran", "Ahmad", "m", (16, 7), "Asian - Afghan (Pashtun)", "Muslim",
         "Pashto", "looked_after", 3, ("Going missing", "Poor emotional wellbeing"), "sam",
         (("Yasmin Khan", "foster carer"),), (),
         carer="Mrs Khan", interpreter_for="child", interpreter_language="Pashto",
         carers_different="yes",
         carers_meet_needs="Mrs Khan is of Pakistani heritage, Muslim and speaks Urdu and some "
                           "Pashto; she cooks halal food and the mosque is a short walk away.",
         tags="uasc", needs="Ahmad is an unaccompanied asylum-seeking young person; prayer, halal food and "
               "contact with other Pashto speakers matter to him.",
         how_met="Placed with a Muslim carer near a mosque; college ESOL place being arranged.",
         school="Northgate College (ESOL)", days_old=80),
    Kid("RV-1029", "Jasmine Taylor", "Jasmine", "f", (11, 9), "Mixed - White and Black African",
         "None", "English", "looked_after", 500, ("Placement breakdown", "Distress around family time"),
         "priya", (("Karen Booth", "foster carer"), ("Steve Booth", "foster carer")), (),
         carer="Mrs Booth", long_term=True, carers_different="yes",
         carers_meet_needs="The Booths (White British) have learned to care for Jasmine's hair "
                           "and skin with advice from her aunt, and keep up contact with her "
                           "Ghanaian father's family.",
         needs="Jasmine is mixed White British and Ghanaian and wants to know more about her "
               "father's side of the family.",
         how_met="Life-story work includes her Ghanaian heritage; quarterly visits to her paternal "
                 "aunt.", school="St Anne's Catholic Primary School", days_old=5),
    Kid("RV-1030", "Kai Robinson", "Kai", "m", (8, 5), "White British", "None", "English",
         "looked_after", 60, ("Distress around family time", "Placement breakdown"), "student",
         (("Pauline Robinson", "maternal grandmother, kinship foster carer"),), (),
         carer="Mrs Robinson", carers_different="no", school="Riverside Primary School",
         needs="Kai lives with his grandmother; he wants to stay in his school and keep his "
               "friends.",
         how_met="School transport kept in place; family time with his mother each Saturday.",
         days_old=29),
    Kid("RV-1031", "Aisha Mohamed", "Aisha", "f", (13, 4), "Black African - Somali", "Muslim",
         "Somali and English", "looked_after", 300, ("Placement breakdown", "Unmet identity needs"),
         "tom", (("Rubina Akhtar", "foster carer"), ("Tariq Akhtar", "foster carer")), (),
         carer="Mrs Akhtar", carers_different="yes",
         carers_meet_needs="The Akhtars share Aisha's faith; they are Pakistani heritage, so "
                           "they take her to the Somali community centre's girls' group and "
                           "help her keep in touch with her aunt.",
         needs="Aisha is Somali and Muslim; she wants to wear the hijab at school and to keep "
               "her Somali.",
         how_met="School supports her choice of hijab; Somali lessons at the community centre "
                 "on Saturdays.", school="Oakfield Academy", days_old=61),
    Kid("RV-1032", "Lily-Rose Evans", "Lily-Rose", "f", (1, 9), "White British", "None",
         "English", "looked_after", 2, ("Inconsistent family time",), "awaiting",
         (("Janet Morris", "foster carer"),), (), carer="Mrs Morris", carers_different="no",
         needs="Lily-Rose needs consistent care and regular, well-planned family time.",
         how_met="Family time three times a week at the family centre.", days_old=12),
    Kid("RV-1033", "Mateo Silva", "Mateo", "m", (14, 2), "White - Portuguese", "Roman Catholic",
         "Portuguese and English", "looked_after", 3, ("Going missing", "Substance misuse"),
         "manager", (("Lisa Grant", "key worker, Elm House children's home"),), (),
         carer="Ms Grant", carers_different="yes",
         carers_meet_needs="Elm House staff are arranging Portuguese-language football with "
                           "a local club and have asked his father about food he misses.",
         needs="Mateo is Portuguese-Brazilian and Catholic; football and his father's family "
               "matter to him.",
         how_met="Phone calls with his father in Portuguese twice a week.",
         school="Northgate High School", days_old=31),
    Kid("RV-1034", "Ethan Murphy", "Ethan", "m", (17, 3), "White British", "None", "English",
         "looked_after", 4, ("Not ready for independent living",), "sam",
         (("Kwame Asante", "key worker, Hillside supported lodgings"),), (),
         carer="Mr Asante", carers_different="yes",
         carers_meet_needs="Hillside staff come from many backgrounds; Ethan's key worker has "
                           "helped him find a local rugby club like the one he played for.",
         needs="Ethan wants to be treated as the adult he nearly is; rugby and his younger "
               "brother matter most to him.",
         how_met="Pathway plan includes weekly contact with his brother and rugby subs.",
         school="Northgate College", days_old=3),
    Kid("RV-1035", "Tiana Brown", "Tiana", "f", (5, 4), "Black British - Caribbean",
         "Christian (Seventh-day Adventist)", "English", "looked_after", 3,
         ("Inconsistent family time", "Unmet identity needs (hair and skin care)"), "priya",
         (("Margaret Hill", "foster carer"),), (), carer="Mrs Hill", carers_different="yes",
         carers_meet_needs="Mrs Hill is White British; she has been shown Tiana's hair and skin "
                           "routine by Tiana's aunt and takes her to a Black hairdresser.",
         needs="Tiana's family are Seventh-day Adventists and keep the Sabbath on Saturdays.",
         how_met="Her aunt takes her to church on Saturdays.",
         school="Riverside Primary School", days_old=19),
    Kid("RV-1036", "Tolu Bakare", "Tolu", "m", (14, 10), "Black African - Nigerian (Yoruba)",
         "Christian", "Yoruba and English", "private_fostering", 3,
         ("Unassessed private fostering arrangement",), "tom",
         (("Funmi Adebisi", "private foster carer (family friend)"),), (),
         carer="Mrs Adebisi", carers_different="no",
         needs="Tolu's parents are in Lagos; he speaks to them on WhatsApp and wants to do well "
               "in his GCSEs.",
         how_met="Weekly video calls with his parents; the carer's church is the same "
                 "denomination as his family's.", school="Oakfield Academy", days_old=8),
    Kid("RV-1037", "Mariam Haidari", "Mariam", "f", (15, 5), "Asian - Afghan (Hazara)",
         "Muslim (Shia)", "Dari", "private_fostering", 5,
         ("Uncertain immigration status", "Unassessed private fostering arrangement"),
         "awaiting", (("Roya Ahmadi", "private foster carer (mother's friend)"),), (),
         carer="Mrs Ahmadi", interpreter_for="parent", interpreter_language="Dari",
         carers_different="no",
         needs="Mariam is Hazara and Shia Muslim; she wants to go to school and become a nurse.",
         how_met="School place being arranged; carer takes her to the Shia mosque.",
         days_old=23),
    Kid("RV-1038", "Ananya Iyer", "Ananya", "f", (16, 2), "Asian - Indian (Tamil)", "Hindu",
         "Tamil and English", "private_fostering", 2, ("Unassessed host family",),
         "student", (("Helen Parry", "host (private foster carer), arranged by language school"),),
         (), carer="Mrs Parry", carers_different="yes",
         carers_meet_needs="Mrs Parry is White British; she has asked Ananya what food she eats "
                           "and found the Hindu temple in town.",
         needs="Ananya is a Tamil Hindu from Chennai studying English for a term; she is "
               "vegetarian.", how_met="Host provides vegetarian food.",
         school="Northgate Language School", days_old=48),
    Kid("RV-1039", "Reuben Cohen", "Reuben", "m", (9, 1), "White British - Jewish",
         "Jewish (Orthodox)", "English", "child_in_need", 6, ("Damp and disrepair in the home",),
         "priya", (("Miriam Cohen", "mother"), ("David Cohen", "father")), (),
         carer="Mrs Cohen", school="Beth Shalom Primary School",
         needs="Reuben's family are Orthodox Jewish and keep Shabbat and kosher.",
         how_met="Visits are not booked for Friday evenings or Saturdays; housing repairs to "
                 "be arranged around Shabbat.", days_old=10),
    Kid("RV-1040", "Charlie Wood", "Charlie", "m", (2, 6), "White British", "None", "English",
         "child_protection", 6, ("Neglect of basic care", "Parental substance misuse"), "tom",
         (("Leanne Wood", "mother"),), (("Craig Wood", "father (expected, did not attend)"),),
         carer="Ms Wood", school="Little Acorns Nursery",
         needs="Charlie's father's family are important to him; he calls his nan 'Nanna Pat'.",
         how_met="Paternal grandmother is in the safety network and has him one night a week.",
         days_old=55),
)

INTERPRETERS = {
    "Sylheti": ("Rumana Ahmed", "Language Line, ID 40417"),
    "Polish": ("Agnieszka Nowak", "The Big Word, ID 88213"),
    "Romanian": ("Cristina Ionescu", "DA Languages, ID 5521"),
    "Somali": ("Faadumo Warsame", "Council interpreting service, ID INT-0231"),
    "Urdu": ("Shabana Malik", "Council interpreting service, ID INT-0198"),
    "Arabic (Levantine)": ("Mariam Saleh", "Language Line, ID 40102"),
    "Arabic": ("Mariam Saleh", "Language Line, ID 40102"),
    "Mandarin": ("Chen Hui", "The Big Word, ID 90344"),
    "Dari": ("Homa Karimi", "DA Languages, ID 6120"),
    "British Sign Language": ("Rachel Evans", "NRCPD registration 11872, Sign Solutions"),
    "Vietnamese": ("Phạm Thu Hà", "Language Line, ID 41876"),
    "Kurdish (Kurmanji)": ("Rojda Aksoy", "DA Languages, ID 5903"),
    "Tigrinya": ("Yonas Gebremedhin", "Council interpreting service, ID INT-0274"),
    "Pashto": ("Gul Agha Safi", "Language Line, ID 42230"),
}
