"""Demo and benchmark stores.

``populate(svc)`` fills an empty store with one realistic team: an administrator, a team
manager, three registered social workers, a student and a newly qualified worker awaiting
registration, about forty children and visit records in every state. Everything is made
through the services, so it is validated and audited exactly as real use would be. To make
the store look lived-in, the services' clock is moved through the past while it runs: a
visit is recorded the day it happened, submitted the next working day, countersigned and
signed off a few days later. Every moment is in the past relative to ``svc.now()``, so the
demo always looks current; the clock is put back when it finishes.

``populate_bulk(svc, children=..., visits_per_child=...)`` makes a big store for benchmarks
with SQLAlchemy Core bulk inserts (batches of ``BATCH`` rows, a few transactions) and a
single audit event summarising the load.

Both refuse a store that already holds any worker, team or child, and write nothing then.
The text is composed from phrase lists with a seeded random, so a given seed always makes
the same store. Names are fictional.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import random
import re
import sys
import time as _time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from operator import itemgetter
from typing import Any, Callable

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, insert, select, text

from recorder.domain import signing
from recorder.domain.content import clean_content
from recorder.domain.flags import visit_flags
from recorder.domain.oversight import OversightInput
from recorder.domain.roles import Role
from recorder.domain.timescales import working_days_for
from recorder.domain.validation import Severity, VisitContext, age_on, validate
from recorder.services import accounts, children, visits
from recorder.services.core import Services
from recorder.services.demo_accounts import _ACCOUNTS, DemoAccount, demo_accounts
from recorder.services.errors import Conflict
from recorder.store import audit_chain
from recorder.store.engine import writer
from recorder.store.models import (
    Child, Countersign, OversightNote, ReturnComment, Signature, Team, Visit,
    VisitSection, Worker,
)

__all__ = ["DemoAccount", "BulkResult", "demo_accounts", "populate", "populate_bulk", "BULK_PASSWORD", "TEAM"]


@dataclass(frozen=True)
class BulkResult:
    children: int
    visits: int
    seconds: float


TEAM = "Riverside Safeguarding Team"

_NAMES = {a[0]: a[1] for a in _ACCOUNTS}

_VISIT_TYPE = {
    "child_protection": "cp_statutory", "child_in_need": "child_in_need",
    "looked_after": "lac_statutory", "private_fostering": "private_fostering", "none": "other",
}


# =====================================================================================
# The children
# =====================================================================================

@dataclass(frozen=True)
class _Kid:
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


_KIDS: tuple[_Kid, ...] = (
    _Kid("RV-1001", "Kayden Walsh", "Kayden", "m", (6, 4), "White British", "None", "English",
         "child_protection", 80, ("Neglect of basic care", "Parental substance misuse"), "sam",
         (("Stacey Walsh", "mother"), ("Mia Walsh", "sister, aged 3")),
         (("Lee Harper", "mother's partner (stays at the address most nights)"),),
         carer="Ms Walsh", school="Riverside Primary School",
         needs="Kayden's identity as a big brother matters to him, and he supports Leeds United "
               "like his grandad.",
         how_met="Maternal grandfather takes him to a match once a month; this is written into "
                 "the family network plan.", days_old=40),
    _Kid("RV-1002", "Amira Begum", "Amira", "f", (9, 2), "Asian British - Bangladeshi", "Muslim",
         "English (Sylheti at home)", "child_protection", 60,
         ("Exposure to domestic abuse", "Parental mental ill-health"), "sam",
         (("Rokeya Begum", "mother"),), (("Shirin Begum", "maternal aunt (safety network)"),),
         carer="Ms Begum", interpreter_for="parent", interpreter_language="Sylheti",
         school="Riverside Primary School",
         needs="Amira goes to Qur'an classes at the mosque after school and eats halal food; "
               "she wants to fast for part of Ramadan like her cousins.",
         how_met="Mother walks her to classes; school provides halal meals; the refuge worker "
                 "has linked mother with a Bengali-speaking women's group.", days_old=100),
    _Kid("RV-1003", "Zofia Wiśniewska", "Zofia", "f", (12, 7), "White - Polish", "Roman Catholic",
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
    _Kid("RV-1004", "Riley Thompson", "Riley", "m", (0, 3), "White British", "None", "English",
         "child_protection", 20,
         ("Unsafe sleeping", "Parental substance misuse", "Neglect of basic care"), "tom",
         (("Jade Thompson", "mother"), ("Sharon Thompson", "maternal grandmother (lives there)")),
         (("Connor Price", "father (expected, did not attend)"),),
         carer="Ms Thompson",
         needs="Riley is too young to say; his mother wants him to know his father's Irish "
               "family as he grows up.",
         how_met="Paternal grandmother's weekly visits are part of the family network plan.",
         days_old=5),
    _Kid("RV-1005", "Ioana Popescu", "Ioana", "f", (7, 1), "White - Romanian",
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
    _Kid("RV-1006", "Hamza Farah", "Hamza", "m", (10, 5), "Black African - Somali", "Muslim",
         "Somali and English", "child_protection", 55,
         ("Physical harm", "Exposure to domestic abuse"), "tom",
         (("Hodan Ali", "mother"), ("Ayan Farah", "sister, aged 6")),
         (("Abdi Farah", "father (expected, did not attend)"),),
         carer="Ms Ali", interpreter_for="parent", interpreter_language="Somali",
         school="Northgate Primary School",
         needs="Hamza goes to madrasa at the weekend and plays for a Somali youth football team.",
         how_met="Mother pays for madrasa; the football club's youth worker is part of the "
                 "safety network.", days_old=20),
    _Kid("RV-1007", "Leon Campbell", "Leon", "m", (15, 3), "Mixed - White and Black Caribbean",
         "Christian", "English", "child_protection", 40,
         ("Criminal exploitation (county lines)", "Going missing"), "sam",
         (("Michelle Campbell", "mother"),),
         (("Devon Campbell", "father (lives separately; agreed to attend)"),),
         carer="Ms Campbell", school="Northgate High School",
         needs="Leon talks about being mixed race and feeling stopped by police more than his "
               "white friends; he is close to his Caribbean grandmother.",
         how_met="Referred to a Black-led mentoring project; Sunday dinner at his grandmother's "
                 "is encouraged in the plan.", days_old=60),
    _Kid("RV-1008", "Maisie Hughes", "Maisie", "f", (4, 6), "White British", "None", "English",
         "child_protection", 45, ("Neglect of basic care", "Parental mental ill-health"), "student",
         (("Kerry Hughes", "mother"),), (("Dean Hughes", "father (expected, at work)"),),
         carer="Ms Hughes", school="Little Acorns Nursery",
         disability="Global developmental delay; speech and language delay (referred to speech "
                    "and language therapy)",
         needs="Maisie's speech delay means she is easily overlooked; she loves music and "
               "singing.",
         how_met="Nursery uses Makaton and picture cards with her; speech and language therapy "
                 "appointment booked.", days_old=30),
    _Kid("RV-1009", "Ayaan Hussain", "Ayaan", "m", (1, 4), "Asian British - Pakistani", "Muslim",
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
    _Kid("RV-1010", "Tyler Jones", "Tyler", "m", (13, 8), "White British", "None", "English",
         "child_protection", 90, ("Physical harm", "Emotional harm"), "manager",
         (("Donna Jones", "mother"), ("Gary Jones", "stepfather")), (),
         carer="Ms Jones", school="Northgate High School",
         disability="ADHD (diagnosed; takes medication in the morning)",
         needs="Tyler's ADHD affects how he manages at school and at home; he is proud of his "
               "boxing.",
         how_met="School has an ADHD support plan; the boxing coach is part of his support "
                 "network.", days_old=3),
    _Kid("RV-1011", "Siobhán O'Connor", "Siobhán", "f", (11, 2), "White - Irish Traveller",
         "Roman Catholic", "English", "child_protection", 70,
         ("Neglect of basic care", "Poor school attendance"), "priya",
         (("Bridget O'Connor", "mother"), ("Patrick O'Connor", "father")), (),
         carer="Mrs O'Connor", school="St Anne's Catholic Primary School",
         needs="Siobhán's family are Irish Travellers and travel in the summer; she is proud of "
               "her family and worried about being bullied at school.",
         how_met="The Traveller Education Service supports attendance and a distance-learning "
                 "pack for the summer; school is addressing the name-calling.", days_old=80),
    _Kid("RV-1012", "Omar Al-Hassan", "Omar", "m", (8, 9), "Arab - Syrian", "Muslim",
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
    _Kid("RV-1013", "Ellie-Mae Turner", "Ellie-Mae", "f", (14, 5), "White British", "None",
         "English", "child_protection", 30,
         ("Child sexual exploitation", "Going missing", "Self-harm"), "sam",
         (("Joanne Turner", "mother"),), (("Ryan Turner", "brother, aged 19"),),
         carer="Ms Turner", school="Oakfield Academy",
         needs="Ellie-Mae says nobody takes her seriously because of her age; her friendships "
               "matter a great deal to her.",
         how_met="She chose her own youth worker from the exploitation service and has a say in "
                 "the agenda of her core groups.", days_old=11),
    _Kid("RV-1014", "Jakub Kowalczyk", "Jakub", "m", (5, 3), "White - Polish", "Roman Catholic",
         "Polish and English", "child_protection", 8, ("Neglect of basic care",), "awaiting",
         (("Agnieszka Kowalczyk", "mother"),),
         (("Paweł Kowalczyk", "father (expected, at work)"),),
         carer="Mrs Kowalczyk", school="Riverside Primary School",
         disability="Autism (diagnosed at 4); sensitive to noise; uses a visual timetable",
         needs="Jakub is bilingual in Polish and English; he needs routine and warning of "
               "changes because of his autism.",
         how_met="School uses his visual timetable; mother speaks Polish at home and is teaching "
                 "him to read in Polish.", days_old=90),
    _Kid("RV-1015", "李明", "Ming", "m", (10, 6), "Chinese", "None", "Mandarin",
         "child_in_need", 90, ("Social isolation", "Unmet health needs (asthma)"), "priya",
         (("Wang Fang", "mother"),), (("Li Jun", "father (works in Manchester in the week)"),),
         carer="Ms Wang", interpreter_for="parent", interpreter_language="Mandarin",
         school="Northgate Primary School",
         needs="Ming and his mother moved from Shenyang last year; he misses his grandparents "
               "and speaks Mandarin at home.",
         how_met="Video calls with his grandparents each Sunday; a Mandarin-speaking mentor "
                 "from the Chinese community centre meets him fortnightly.", days_old=25),
    _Kid("RV-1016", "Chidi Okonkwo", "Chidi", "m", (12, 1), "Black African - Nigerian",
         "Christian (Pentecostal)", "English and Igbo", "child_in_need", 12,
         ("Excessive young carer responsibilities",), "sam",
         (("Ngozi Okonkwo", "mother (has multiple sclerosis)"), ("Adaeze Okonkwo", "sister, aged 7")),
         (), carer="Mrs Okonkwo", school="Oakfield Academy",
         needs="Chidi's church is the centre of the family's support; he is proud to help his "
               "mother but misses football.",
         how_met="Church members help with the school run twice a week; young carers' group "
                 "on Thursdays.", days_old=44),
    _Kid("RV-1017", "Ali Rahimi", "Ali", "m", (8, 2), "Asian - Afghan", "Muslim", "Dari",
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
    _Kid("RV-1018", "Ruby Fletcher", "Ruby", "f", (9, 7), "White British", "None",
         "British Sign Language", "child_in_need", 12, ("Communication barriers at home",),
         "priya", (("Claire Fletcher", "mother"), ("Mark Fletcher", "father")), (),
         carer="Ms Fletcher", interpreter_for="child", interpreter_language="British Sign Language",
         disability="Deaf; BSL user; wears hearing aids",
         needs="Ruby is Deaf and BSL is her first language; her parents are hearing and are "
               "still learning to sign.",
         how_met="Parents are on a BSL level 1 course; Ruby attends a Deaf youth club on "
                 "Saturdays.", school="Riverside Primary School (hearing support base)",
         days_old=21),
    _Kid("RV-1019", "Harvey Lewis", "Harvey", "m", (16, 4), "White British", "Church of England",
         "English", "child_in_need", 8, ("Carer breakdown",), "sam",
         (("Sarah Lewis", "mother"),), (), carer="Ms Lewis", school="Oakfield Academy (sixth form)",
         disability="Cerebral palsy (spastic quadriplegia); uses a powered wheelchair; speech "
                    "slow but clear",
         needs="Harvey wants the same independence as his friends; his disability is often "
               "seen before he is.",
         how_met="Occupational therapy assessment for adaptations; direct payments for a "
                 "personal assistant being set up.", days_old=58),
    _Kid("RV-1020", "Nguyễn Thị Lan", "Lan", "f", (15, 2), "Asian - Vietnamese", "Buddhist",
         "Vietnamese", "child_in_need", 150, ("Poor school attendance", "Social isolation"),
         "awaiting", (("Trần Thị Hoa", "mother"),),
         (("Nguyễn Văn Minh", "father (expected, at work)"),),
         carer="Mrs Trần", interpreter_for="parent", interpreter_language="Vietnamese",
         school="Northgate High School",
         needs="Lan is Vietnamese and Buddhist; she translates for her parents, which she finds "
               "embarrassing.",
         how_met="Interpreters are booked for every meeting so Lan does not have to interpret; "
                 "she has joined the school's Vietnamese New Year group.", days_old=7),
    _Kid("RV-1021", "Poppy Adams", "Poppy", "f", (3, 5), "White British", "None", "English",
         "child_in_need", 10, ("Unstable housing (temporary accommodation)", "Parental mental ill-health"),
         "student", (("Chelsea Adams", "mother"),),
         (("Jordan Reid", "father (expected, did not attend)"),),
         carer="Ms Adams", school="Little Acorns Nursery",
         needs="Poppy's routine has been disrupted by three moves this year; nursery is her "
               "one constant.",
         how_met="Housing has been asked to keep the family within reach of the nursery.",
         days_old=18),
    _Kid("RV-1022", "Marcus Richards", "Marcus", "m", (14, 9), "Black British - Caribbean",
         "Christian", "English", "child_in_need", 14,
         ("School exclusion", "Criminal exploitation"), "tom",
         (("Angela Richards", "mother"),), (("Winston Richards", "grandfather"),),
         carer="Ms Richards", school="Northgate High School",
         needs="Marcus is proud of his Jamaican heritage and of his grandfather, who came to "
               "England in 1962.",
         how_met="His grandfather is involved in the plan; the mentoring project is Black-led.",
         days_old=9),
    _Kid("RV-1023", "Fatima Zahra Benali", "Fatima Zahra", "f", (6, 11), "Arab - Moroccan",
         "Muslim", "Arabic and French", "child_in_need", 5, ("Overcrowded housing",), "manager",
         (("Nadia Benali", "mother"), ("Youssef Benali", "father")), (),
         carer="Mrs Benali", school="Riverside Primary School",
         needs="Fatima Zahra speaks Arabic and French at home and English at school.",
         how_met="School celebrates her languages in class; family to be linked with a "
                 "Moroccan community association.", days_old=66),
    _Kid("RV-1024", "Şahin Yıldız", "Şahin", "m", (13, 6), "Kurdish (from Turkey)",
         "Muslim (Alevi)", "Kurdish (Kurmanji)", "child_in_need", 16,
         ("Poor emotional wellbeing", "Poor school attendance"), "priya",
         (("Zeynep Yıldız", "mother"),), (("Hüseyin Yıldız", "father (expected, at work)"),),
         carer="Mrs Yıldız", interpreter_for="parent", interpreter_language="Kurdish (Kurmanji)",
         school="Oakfield Academy",
         needs="Şahin's family are Alevi Kurds; he is sometimes assumed to be Turkish or Arab, "
               "which upsets him.",
         how_met="School has corrected his records; he goes to the Kurdish community centre's "
                 "music group.", days_old=27),
    _Kid("RV-1025", "Olivia Price", "Olivia", "f", (10, 3), "White British", "None", "English",
         "child_in_need", 10, ("Excessive young carer responsibilities", "Parental mental ill-health"),
         "awaiting", (("Gemma Price", "mother"),), (),
         carer="Ms Price", school="Riverside Primary School",
         needs="Olivia cares for her mother and worries about her when she is at school.",
         how_met="Young carers' group on Tuesdays; school lets her phone her mother at lunch.",
         days_old=36),
    _Kid("RV-1026", "Rahul Patel", "Rahul", "m", (7, 8), "Asian British - Indian", "Hindu",
         "English and Gujarati", "child_in_need", 15, ("Unmet health needs (type 1 diabetes)",),
         "sam", (("Priti Patel", "mother"), ("Kiran Patel", "father")), (),
         carer="Mrs Patel", school="Northgate Primary School",
         disability="Type 1 diabetes (insulin pump)",
         needs="Rahul's family are Gujarati Hindus; he is vegetarian and goes to the temple with "
               "his grandparents.",
         how_met="The diabetes nurse has adapted his meal plan to a vegetarian Gujarati diet.",
         days_old=14),
    _Kid("RV-1027", "Semhar Tesfay", "Semhar", "f", (16, 1), "Black African - Eritrean",
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
    _Kid("RV-1028", "Ahmad Zadran", "Ahmad", "m", (16, 7), "Asian - Afghan (Pashtun)", "Muslim",
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
    _Kid("RV-1029", "Jasmine Taylor", "Jasmine", "f", (11, 9), "Mixed - White and Black African",
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
    _Kid("RV-1030", "Kai Robinson", "Kai", "m", (8, 5), "White British", "None", "English",
         "looked_after", 60, ("Distress around family time", "Placement breakdown"), "student",
         (("Pauline Robinson", "maternal grandmother, kinship foster carer"),), (),
         carer="Mrs Robinson", carers_different="no", school="Riverside Primary School",
         needs="Kai lives with his grandmother; he wants to stay in his school and keep his "
               "friends.",
         how_met="School transport kept in place; family time with his mother each Saturday.",
         days_old=29),
    _Kid("RV-1031", "Aisha Mohamed", "Aisha", "f", (13, 4), "Black African - Somali", "Muslim",
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
    _Kid("RV-1032", "Lily-Rose Evans", "Lily-Rose", "f", (1, 9), "White British", "None",
         "English", "looked_after", 2, ("Inconsistent family time",), "awaiting",
         (("Janet Morris", "foster carer"),), (), carer="Mrs Morris", carers_different="no",
         needs="Lily-Rose needs consistent care and regular, well-planned family time.",
         how_met="Family time three times a week at the family centre.", days_old=12),
    _Kid("RV-1033", "Mateo Silva", "Mateo", "m", (14, 2), "White - Portuguese", "Roman Catholic",
         "Portuguese and English", "looked_after", 3, ("Going missing", "Substance misuse"),
         "manager", (("Lisa Grant", "key worker, Elm House children's home"),), (),
         carer="Ms Grant", carers_different="yes",
         carers_meet_needs="Elm House staff are arranging Portuguese-language football with "
                           "a local club and have asked his father about food he misses.",
         needs="Mateo is Portuguese-Brazilian and Catholic; football and his father's family "
               "matter to him.",
         how_met="Phone calls with his father in Portuguese twice a week.",
         school="Northgate High School", days_old=31),
    _Kid("RV-1034", "Ethan Murphy", "Ethan", "m", (17, 3), "White British", "None", "English",
         "looked_after", 4, ("Not ready for independent living",), "sam",
         (("Kwame Asante", "key worker, Hillside supported lodgings"),), (),
         carer="Mr Asante", carers_different="yes",
         carers_meet_needs="Hillside staff come from many backgrounds; Ethan's key worker has "
                           "helped him find a local rugby club like the one he played for.",
         needs="Ethan wants to be treated as the adult he nearly is; rugby and his younger "
               "brother matter most to him.",
         how_met="Pathway plan includes weekly contact with his brother and rugby subs.",
         school="Northgate College", days_old=3),
    _Kid("RV-1035", "Tiana Brown", "Tiana", "f", (5, 4), "Black British - Caribbean",
         "Christian (Seventh-day Adventist)", "English", "looked_after", 3,
         ("Inconsistent family time", "Unmet identity needs (hair and skin care)"), "priya",
         (("Margaret Hill", "foster carer"),), (), carer="Mrs Hill", carers_different="yes",
         carers_meet_needs="Mrs Hill is White British; she has been shown Tiana's hair and skin "
                           "routine by Tiana's aunt and takes her to a Black hairdresser.",
         needs="Tiana's family are Seventh-day Adventists and keep the Sabbath on Saturdays.",
         how_met="Her aunt takes her to church on Saturdays.",
         school="Riverside Primary School", days_old=19),
    _Kid("RV-1036", "Tolu Bakare", "Tolu", "m", (14, 10), "Black African - Nigerian (Yoruba)",
         "Christian", "Yoruba and English", "private_fostering", 3,
         ("Unassessed private fostering arrangement",), "tom",
         (("Funmi Adebisi", "private foster carer (family friend)"),), (),
         carer="Mrs Adebisi", carers_different="no",
         needs="Tolu's parents are in Lagos; he speaks to them on WhatsApp and wants to do well "
               "in his GCSEs.",
         how_met="Weekly video calls with his parents; the carer's church is the same "
                 "denomination as his family's.", school="Oakfield Academy", days_old=8),
    _Kid("RV-1037", "Mariam Haidari", "Mariam", "f", (15, 5), "Asian - Afghan (Hazara)",
         "Muslim (Shia)", "Dari", "private_fostering", 5,
         ("Uncertain immigration status", "Unassessed private fostering arrangement"),
         "awaiting", (("Roya Ahmadi", "private foster carer (mother's friend)"),), (),
         carer="Mrs Ahmadi", interpreter_for="parent", interpreter_language="Dari",
         carers_different="no",
         needs="Mariam is Hazara and Shia Muslim; she wants to go to school and become a nurse.",
         how_met="School place being arranged; carer takes her to the Shia mosque.",
         days_old=23),
    _Kid("RV-1038", "Ananya Iyer", "Ananya", "f", (16, 2), "Asian - Indian (Tamil)", "Hindu",
         "Tamil and English", "private_fostering", 2, ("Unassessed host family",),
         "student", (("Helen Parry", "host (private foster carer), arranged by language school"),),
         (), carer="Mrs Parry", carers_different="yes",
         carers_meet_needs="Mrs Parry is White British; she has asked Ananya what food she eats "
                           "and found the Hindu temple in town.",
         needs="Ananya is a Tamil Hindu from Chennai studying English for a term; she is "
               "vegetarian.", how_met="Host provides vegetarian food.",
         school="Northgate Language School", days_old=48),
    _Kid("RV-1039", "Reuben Cohen", "Reuben", "m", (9, 1), "White British - Jewish",
         "Jewish (Orthodox)", "English", "child_in_need", 6, ("Damp and disrepair in the home",),
         "priya", (("Miriam Cohen", "mother"), ("David Cohen", "father")), (),
         carer="Mrs Cohen", school="Beth Shalom Primary School",
         needs="Reuben's family are Orthodox Jewish and keep Shabbat and kosher.",
         how_met="Visits are not booked for Friday evenings or Saturdays; housing repairs to "
                 "be arranged around Shabbat.", days_old=10),
    _Kid("RV-1040", "Charlie Wood", "Charlie", "m", (2, 6), "White British", "None", "English",
         "child_protection", 6, ("Neglect of basic care", "Parental substance misuse"), "tom",
         (("Leanne Wood", "mother"),), (("Craig Wood", "father (expected, did not attend)"),),
         carer="Ms Wood", school="Little Acorns Nursery",
         needs="Charlie's father's family are important to him; he calls his nan 'Nanna Pat'.",
         how_met="Paternal grandmother is in the safety network and has him one night a week.",
         days_old=55),
)

_INTERPRETERS = {
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


# =====================================================================================
# Phrase lists
# =====================================================================================
#
# An entry is a template, or (template, "needs"): it is used only when the visit's context
# holds every word of "needs" ("!word": only when it does not). The context is built by
# ``_context``: the child's age band, verbal or preverbal, school or under5, the plan type,
# the location, announced or unannounced, and a tag for each kind of risk in the plan.
# Templates use {name}, {carer}, {school}, {attendance} and the pronouns {he} {him} {his}
# {He} {His} (and {him_carer} {his_carer} for the carer).

Entry = Any  # str | tuple[str, str]

# Each topic is (needs, positive variants, concerning variants); a paragraph takes one
# variant from each of several topics, so what it says never contradicts itself.
_HOME_TOPICS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("", ("The front room was warm and tidy, with a sofa, a television and a basket of clean "
          "washing.",
          "The living room had been hoovered; toys were in a box under the window.",
          "The house was warm; the heating was on and the windows were closed against the rain."),
     ("The living room was cluttered with unwashed clothes and takeaway cartons.",
      "The house was cold; {carer} said the gas meter had run out the night before.")),
    ("", ("The fridge held milk, bread, eggs, cheese and vegetables, and there was cereal and "
          "pasta in the cupboards.",
          "There was a pan of rice and curry on the hob and fruit in a bowl on the table.",
          "The kitchen was clean; {carer} showed me the weekly shop from the supermarket "
          "delivery."),
     ("The fridge held only a half-empty bottle of milk and some margarine.",
      "Dirty dishes were piled in the sink and the kitchen bin was overflowing.")),
    ("", ("{name} was dressed in clean clothes suitable for the weather.",
          "{name} looked well: clean, hair brushed, and dressed for the weather.",
          "{name}'s clothes and shoes fitted and were clean."),
     ("{name}'s clothes were stained and {his} shoes were too small.",
      "{name} looked tired and had dark rings under {his} eyes.")),
    ("!teen", ("{carer} spoke warmly to {name} and praised {him} when {he} showed me something "
               "{he} had made.",
               "{name} went to {carer} for a cuddle when the doorbell rang and settled quickly.",
               "{carer} noticed when {name} was hungry and made {him} something to eat without "
               "being asked."),
     ("{carer} shouted at {name} twice during the visit for being noisy.",
      "{carer} spent most of the visit on {his_carer} phone and did not respond when {name} "
      "asked for a drink.")),
    ("teen", ("{name} and {carer} talked easily about {his} week and laughed about a TV programme.",
              "{carer} asked {name} about {his} day without nagging, and {name} answered."),
     ("{name} and {carer} argued about {his} phone while I was there; {name} left the room.",)),
    ("under5", ("There were no obvious hazards; medicines were in a locked box in a high cupboard.",
                "Stair gates were in place and the plug sockets had covers.",
                "Cleaning products were under the sink with a child lock."),
     ("A packet of tablets was on the arm of the sofa within {name}'s reach.",
      "The back door was open onto a garden with broken glass near the fence.")),
    ("", ("There was no smell of smoke or alcohol in the house.",
          "The ashtray was outside the back door; {carer} said nobody smokes indoors now."),
     (("There was a smell of cannabis in the hallway.", "substance"),
      ("There were empty cans of strong lager in the recycling and on the kitchen side.",
       "substance"),
      "There was a strong smell of cigarette smoke in the living room.")),
    ("school", ("{name}'s school bag was by the door with {his} reading book and a signed letter.",
                "A chart on the fridge showed {name}'s bedtime routine with stickers for each "
                "night."),
     ("{name}'s school uniform was in a heap on the floor and {carer} could not find {his} "
      "reading book.",
      "I saw no routine: {carer} did not know what time {name} went to bed.")),
    ("infant", ("{name}'s bottles were washed and sterilised, and there was formula in date.",
                "There was a changing mat with nappies and wipes, and clean baby clothes folded."),
     ("Unwashed bottles with old milk were on the kitchen side.",)),
)

_PLACEMENT_TOPICS = (
    ("", ("The placement was warm, clean and homely, with {name}'s photographs on the fridge.",
          "{name}'s certificates were on the kitchen wall next to the family's own."),
     ("The house was in the middle of being decorated and felt chaotic.",)),
    ("", ("{carer} showed me the calendar with {name}'s family time, appointments and clubs on it.",
          "{carer} keeps a daily diary for {name}; I read the last two weeks' entries."),
     ("{carer} could not tell me the date of {name}'s next review.",)),
    ("verbal", ("{name} laughed with {carer} while they made tea together.",
                "{name} and {carer} teased each other easily; {name} asked {carer} for help."),
     ("{name} stayed in {his} room for most of the visit and came down only when called.",
      ("There was tension between {name} and {carer} over phone use at night.", "teen"))),
    ("", ("{name} was dressed in clean clothes; {he} looked well.",
          "{name} looked well and had had a haircut since my last visit."),
     ("{name} looked tired and {carer} said {he} had slept badly all week.",)),
    ("", ("{carer} told me about {name}'s dentist and optician appointments, both up to date.",
          "The health assessment actions are complete: immunisations are up to date."),
     ("The annual health assessment is overdue; {carer} has chased the clinic twice.",)),
)

_SCHOOL_TOPICS = (
    ("", ("I saw {name} in a quiet room at {school}, arranged by the designated safeguarding lead.",
          "We met in the library at {school} during the lunch break, as {name} asked."), ()),
    ("", ("{name} was in school uniform, clean and tidy, and had eaten lunch.",
          "{name} looked well and was chatty from the start."),
     ("{name} looked tired and kept yawning; {his} shirt was dirty.",)),
    ("", ("Staff said {name} has settled into a friendship group this term.",),
     ("{name} sat on {his} own in the playground before I collected {him}.",)),
)

_BEDROOM = {
    "home": ("{name}'s bedroom had a bed with clean bedding, curtains and a wardrobe with "
             "clothes that fitted; {his} things were on a shelf.",
             "I saw {name}'s bedroom: the bed had a duvet and pillow, there was a lamp and "
             "{his} pictures were on the wall.",
             "{name} showed me the bedroom {he} shares with {his} sibling; each has their own "
             "bed and drawers."),
    "placement": ("{name}'s room at the placement was personalised with posters and "
                  "photographs {he} chose; the bed was made and clothes were put away.",
                  "{name}'s room had new bedding {he} had picked, a desk and a lock on the door "
                  "that {he} has the key to."),
    "infant": ("{name} sleeps in a cot in {carer}'s room: a firm flat mattress, no pillows, "
               "bumpers or toys, and a baby sleeping bag.",
               "I saw {name}'s cot: clear of soft toys and blankets, with a fitted sheet and a "
               "baby monitor."),
}

_OPINION: tuple[Entry, ...] = (
    "In my professional opinion the home conditions were good enough on this visit.",
    ("My view is that {carer} is trying hard to make the changes the plan asks for, but the "
     "change is recent and not yet sustained.", "!looked_after"),
    ("I am worried that what I saw today is better than what {name} lives with day to day; "
     "this was an announced visit.", "announced !looked_after"),
    "My opinion is that {name} is well cared for physically; {his} emotional needs are less "
    "well met.",
    ("I think {name} is safe today, but the plan depends heavily on {carer} keeping to the "
     "safety agreement.", "child_protection"),
    "I judge the relationship between {name} and {carer} to be warm and responsive.",
    "In my opinion {name} is settled and making progress, and the adults around {him} agree "
    "about what {he} needs.",
    ("I think {name} is carrying worries that {he} does not share easily with adults.", "verbal school"),
    ("My view is that school is a real protective factor for {name}.", "school"),
    ("I consider that {carer}'s insight into the impact on {name} has grown since the last "
     "review.", "!looked_after"),
    "It is my opinion that things have moved in the right direction, though slowly.",
    "I am not yet confident that the improvements will last without continued support.",
    ("My view is that the placement is meeting {name}'s needs and {he} is attached to {carer}.",
     "looked_after"),
)

_SOURCES: tuple[Entry, ...] = (
    ("{carer} said things have been calmer at home since the last meeting.", "!looked_after"),
    ("School ({school}, designated safeguarding lead) reported by phone that attendance is "
     "{attendance}% this half term.", "school"),
    ("The health visitor said the family have kept every appointment since the plan started.",
     "under5"),
    ("The GP surgery confirmed by email that {carer}'s prescriptions are being collected.", "mh"),
    ("Police (via the MASH) confirmed there have been no call-outs to the address since my "
     "last visit.", "dv"),
    ("{name}'s class teacher said {he} has been more settled and is joining in at playtime.",
     "school !teen"),
    "{carer} said {name} has been sleeping better and eating well.",
    ("The family support worker said by phone that the routine chart is being used most days.",
     "!looked_after"),
    ("The school nurse said {name} has been to see her twice this month with headaches.", "school"),
    ("{carer} said {name}'s father has not been to the house since the last visit; I have "
     "not been able to check this with anyone else.", "dv"),
    ("The youth worker said {name} has attended every session this month.", "teen"),
    ("Housing confirmed by email that the repair request has been logged as urgent.", "housing"),
    ("The alcohol and drug service confirmed {carer} attended two appointments this month.",
     "substance"),
    ("The exploitation team said there is no new intelligence about {name} this month.",
     "exploitation"),
    ("The independent reviewing officer confirmed the date of {name}'s next review by email.",
     "looked_after"),
    ("Nursery staff said {name} arrives clean, fed and on time most days.", "under5 !infant"),
)

_ANALYSIS_OPEN: tuple[Entry, ...] = (
    ("Taking together what I saw, what {name} told me and what the other agencies say, "
     "{name}'s day-to-day needs are mostly being met.", "verbal"),
    ("Taking together what I observed of {name} and what the other agencies say, {name}'s "
     "day-to-day needs are mostly being met.", "preverbal"),
    ("This visit shows some progress against the plan, but the evidence is still mainly what "
     "{carer} tells me rather than what others see.", "!looked_after"),
    ("{name}'s safety depends on the protective factors in the plan continuing: the safety "
     "network, school and {carer}'s engagement with support.", "child_protection school"),
    ("What {name} said matches what school and health report, which gives me more confidence "
     "in the picture.", "verbal school"),
    ("The main strength in this family is the warmth between {name} and {carer}; the main "
     "worry is whether changes will be sustained when professional involvement reduces.",
     "!looked_after"),
    ("{name}'s lived experience this month seems calmer; {he} described fewer arguments and "
     "more routine.", "verbal !looked_after"),
    ("There is a gap between what {carer} says and what I observed, which I will explore at "
     "the next visit.", "!looked_after"),
    "The plan's actions are mostly on track; the outstanding ones are noted below.",
    "I have weighed the risks below against the strengths: the adults' engagement, the "
    "oversight of other agencies and the support network.",
    ("The placement is stable and {name} is well looked after; the work now is on {his} "
     "relationships with {his} birth family.", "looked_after !uasc"),
    ("The placement is stable; the work now is on {name}'s asylum claim, education and "
     "news of {his} family.", "uasc"),
)

_ANALYSIS_CLOSE: tuple[Entry, ...] = (
    "Overall I judge that the plan remains the right one and should continue unchanged until "
    "the next review.",
    "Overall the level of risk is unchanged and the plan should continue, with the actions "
    "below.",
    ("I will discuss this analysis with my manager in supervision and at the next core group.",
     "child_protection"),
    ("On balance {name} is safe enough at home with the current plan, but this needs close "
     "monitoring.", "!looked_after !private_fostering"),
    ("If the progress continues I will recommend stepping down to a child in need plan at "
     "the next review conference.", "child_protection"),
    ("If the progress continues I will recommend closing to early help at the next review.",
     "child_in_need"),
)

_RISK_SENTENCES = {
    "reduced": (
        "The risk of {risk} has reduced since my last visit: the actions agreed are being "
        "followed and other agencies report the same.",
        "I judge the risk of {risk} to have reduced; this is based on what I saw and what "
        "other agencies told me, not only on what the family said.",
    ),
    "unchanged": (
        "The risk of {risk} is unchanged: there is no new incident, but nor is there yet "
        "enough sustained change to say it has reduced.",
        "The risk of {risk} is unchanged since my last visit; the protective factors are "
        "holding but the underlying concern remains.",
    ),
    "increased": (
        "The risk of {risk} has increased: what I saw and heard today is worse than at my "
        "last visit, and I spoke to my manager the same day.",
        "I think the risk of {risk} has increased since my last visit; this needs the actions "
        "below and discussion at the next meeting about the plan.",
    ),
}

_QUOTES: dict[str, tuple[tuple[str, str, str], ...]] = {  # (lead, quote, needs)
    "young": (  # 4 to 7
        ("When I asked what {he} likes about home, {name} said", "“We have pancakes on Saturdays.”", ""),
        ("{name} showed me {his} drawing and said", "“That's me and my mum at the park.”", "!looked_after"),
        ("When I asked about bedtime {name} said", "“I have a story and then the light goes off.”", ""),
        ("{name} told me", "“I don't like it when it's shouty.”", "!looked_after"),
        ("Asked about school, {name} said", "“My teacher is nice, she gives me stickers.”", "school"),
        ("When I asked who {he} goes to if {he} is sad, {name} pointed at {carer} and said", "“Her.”", ""),
    ),
    "child": (  # 8 to 12
        ("When I asked how things are at home, {name} said", "“It's better now, there's less shouting.”", "!looked_after"),
        ("{name} told me", "“I worry about Mum when I'm at school.”", ""),
        ("About school {name} said", "“I've got two best friends and we play football at dinner.”", "school"),
        ("When I asked what would make things better {name} said", "“If everyone just got on.”", ""),
        ("{name} said", "“I like it here, I feel safe in my room.”", ""),
        ("When I asked about the last few weeks, {name} said", "“Nothing bad has happened, honest.”", "child_protection"),
        ("On the Three Houses, in the house of worries {name} wrote", "“when Dad comes round drunk”.", "substance"),
    ),
    "teen": (  # 13 to 17
        ("When I asked how {he} is, {name} said", "“I'm fine, you don't need to keep coming.”", ""),
        ("{name} told me", "“I just want to get my exams done and get on with my life.”", ""),
        ("About {his} friends {name} said", "“They're the only ones who actually listen to me.”", ""),
        ("When I asked about going missing, {name} said", "“I wasn't missing, I was at a mate's, I just didn't tell anyone.”", "exploitation"),
        ("{name} said", "“I want to be asked, not told. It's my life.”", ""),
        ("Asked what is going well, {name} said", "“College is alright. I'm good at it.”", ""),
        ("About home {name} said", "“It's calmer than it was. Mum's trying.”", "!looked_after"),
        ("About the placement {name} said", "“They're alright. They don't treat me like a kid.”", "looked_after"),
    ),
}

_WISHES: dict[str, tuple[Entry, ...]] = {
    "infant": (
        "{name} is too young to say. From what I observed {he} is content with {carer} and "
        "needs warm, consistent care, safe sleep and adults who notice {his} cues.",
    ),
    "toddler": (
        "{name} cannot yet put {his} wishes into words. {He} sought comfort from {carer} and "
        "played happily, which suggests {he} feels secure with {him_carer}.",
        "{name} wants to be near {carer}: {he} followed {him_carer} from room to room and "
        "brought {him_carer} toys throughout the visit.",
    ),
    "nonverbal": (
        "{name} cannot tell us in words. From {his} choices and behaviour {he} wants {his} "
        "routines kept the same, time on the trampoline and {carer} close by.",
    ),
    "young": (
        ("{name} wants to stay at home with {carer} and to keep going to the same school.", "!looked_after"),
        "{name} wants more time at the park and for grown-ups not to shout.",
        ("{name} wants to see {his} mum more often.", "looked_after"),
    ),
    "child": (
        ("{name} wants to stay where {he} is and to see {his} father somewhere other than at "
         "home.", "!looked_after"),
        "{name} wants things to stay calm and to be allowed to go to after-school club again.",
        ("{name} wants to stay with {carer} and keep the same school.", "looked_after"),
    ),
    "teen": (
        "{name} wants fewer professionals in {his} life and to be trusted to make more of {his} "
        "own decisions.",
        "{name} wants to finish the school year where {he} is and to see {his} friends at weekends.",
        "{name} wants {his} views heard at the review in {his} own words, without an adult "
        "speaking for {him}.",
    ),
}

_SHAPES: tuple[Entry, ...] = (
    ("I will share {name}'s views at the next meeting in {his} own words, and the plan will "
     "reflect what {he} said about family time.", "verbal"),
    ("{name}'s wish to stay at the same school will be a priority in any decision about moves.",
     "verbal school"),
    ("{name}'s worries will be explored with {carer}, and the safety plan will be updated with "
     "{name}'s ideas about who {he} can talk to.", "verbal child_protection"),
    ("The plan will keep {name}'s routines the same, which is what {he} asked for.", "verbal"),
    ("{name} asked to attend part of {his} review; I will arrange this with the chair.", "teen"),
    ("I will use {name}'s words in the child's version of the plan so that {he} can see {he} "
     "has been listened to.", "verbal"),
    ("What I observed of {name}'s needs (routine, consistent care and safe sleep) will be "
     "written into the plan's actions.", "preverbal"),
    ("The plan will be shared with {name}'s nursery and health visitor so that everyone "
     "watches for the same signs.", "preverbal under5"),
    ("{name}'s PECS choices will be shared at the next meeting and the plan will keep {his} "
     "routines the same.", "nonverbal"),
)

_PURPOSE = {
    "cp_statutory": "Statutory child protection visit under the plan agreed at the child "
                    "protection conference: to see {name}{alone}, see {his} bedroom and the "
                    "home conditions, and review progress on the plan.",
    "child_in_need": "Child in need visit: to see {name}, hear {his} views, and review the "
                     "child in need plan with {carer}.",
    "lac_statutory": "Statutory visit to a looked-after child (regulation 28): to see {name}"
                     "{alone}, see {his} room, hear {his} views on the placement and on family "
                     "time, and check the placement plan.",
    "private_fostering": "Private fostering visit: to see {name}{alone}, see {his} room, check "
                         "the arrangement with {carer} and continue the private fostering "
                         "assessment.",
    "other": "Visit to {name} at school to hear {his} views before the review.",
}

_PURPOSE_MORE: tuple[Entry, ...] = (
    ("The last core group asked for visits to be unannounced where possible.",
     "unannounced child_protection"),
    ("I also wanted to follow up what school reported last week.", "school"),
    "To check that the actions from the last visit have been done.",
    ("To prepare {name} for the review next month and ask what {he} wants to say.", "verbal"),
    "To see how the new routine is working for {name} and {carer}.",
)

_ACTION_POOL: tuple[tuple[str, str, int, str], ...] = (  # what, who, days, needs
    ("Share the updated safety plan with {carer} and the safety network", "{worker}", 5, "child_protection"),
    ("Ask school for attendance figures for this half term", "{worker}", 4, "school"),
    ("Book the next visit, unannounced", "{worker}", 7, "!looked_after"),
    ("Refer {name} to the young carers' service", "{worker}", 6, "carer"),
    ("Go to the GP about sleep and low mood, as agreed", "{carer}", 10, "mh"),
    ("Send the meeting minutes to the family in their own language", "{worker}", 5, "interpreter"),
    ("Complete the home safety check with the family support worker", "{carer}", 8, "under5"),
    ("Ask the health visitor to update the growth chart", "{worker}", 7, "under5"),
    ("Arrange family time for {name} at the family centre", "{worker}", 9, "looked_after !uasc"),
    ("Confirm the date of the next review with the independent reviewing officer", "{worker}", 5, "looked_after"),
    ("Keep the daily routine chart and bring it to the next visit", "{carer}", 10, "!looked_after"),
    ("Chase the housing repair request", "{worker}", 6, "housing"),
    ("Attend the alcohol and drug service appointments and share the letters", "{carer}", 14, "substance"),
    ("Share this visit's information with the exploitation team", "{worker}", 2, "exploitation"),
    ("Update {name}'s health plan with the diabetes nurse", "{worker}", 10, "health"),
    ("Complete the private fostering assessment section on the carer's household", "{worker}", 14, "private_fostering"),
    ("Ask the school's SENCo for the updated support plan", "{worker}", 10, "school disability"),
)

_TAGS = (  # risk or profile keyword -> context tag
    ("domestic", "dv"), ("substance", "substance"), ("alcohol", "substance"),
    ("mental", "mh"), ("young carer", "carer"),
    ("housing", "housing"), ("overcrowding", "housing"), ("damp", "housing"),
    ("exploitation", "exploitation"), ("missing", "exploitation"), ("attendance", "attendance"),
    ("exclusion", "attendance"), ("neglect", "neglect"), ("health", "health"),
    ("disability", "disability"),
)


def _band(years: int) -> str:
    if years < 2:
        return "infant"
    if years < 4:
        return "toddler"
    if years < 8:
        return "young"
    if years < 13:
        return "child"
    return "teen"


def _pronouns(sex: str) -> dict[str, str]:
    if sex == "f":
        return {"he": "she", "him": "her", "his": "her", "He": "She", "His": "Her"}
    return {"he": "he", "him": "him", "his": "his", "He": "He", "His": "His"}


def _lower_first(s: str) -> str:
    if s.startswith(_T1):  # a bulk prototype's token: lower-case it when it is filled in
        return _T1 + "lower_" + s[1:]
    return s[:1].lower() + s[1:] if s[1:2].islower() else s


def _context(kid: _Kid, years: int, location: str, announced: str) -> frozenset[str]:
    band = _band(years)
    ctx = {band, kid.plan, location, announced,
           "preverbal" if band in ("infant", "toddler") or kid.nonverbal else "verbal",
           "school" if years >= 4 else "under5"}
    ctx.update(kid.tags.split())
    if kid.nonverbal:
        ctx.add("nonverbal")
    if kid.interpreter_for:
        ctx.add("interpreter")
    if kid.disability and kid.disability != "None known":
        ctx.add("disability")
    text = " ".join(kid.risks).lower() + " " + kid.disability.lower()
    ctx.update(tag for word, tag in _TAGS if word in text)
    return frozenset(ctx)


def _fits(entry: Entry, ctx: frozenset[str]) -> bool:
    if isinstance(entry, str):
        return True
    for need in entry[1].split():
        if (need[1:] in ctx) if need.startswith("!") else (need not in ctx):
            return False
    return True


def _text_of(entry: Entry) -> str:
    return entry if isinstance(entry, str) else entry[0]


def _choose(rng: random.Random, entries, k: int, ctx: frozenset[str]) -> list[str]:
    fitting = [_text_of(e) for e in entries if _fits(e, ctx)]
    return rng.sample(fitting, min(k, len(fitting)))


_SHARED_POOLS: dict[tuple, dict[tuple, list[str]]] = {}
_T1 = "\x01"   # around a bulk prototype's text token: \x01name\x01
_T2 = "\x02"   # around a token standing for a whole JSON value


class _Writer:
    """Composes paragraphs from the phrase lists with a seeded random.

    With ``pool`` set, paragraphs are composed once per (kind, sex, context) into a pool of
    that many variants and each use picks one and fills in the names: the fast path for bulk
    loads, where thousands of records share a few hundred contexts.
    """

    def __init__(self, rng: random.Random, *, long: bool = False, pool: int = 0,
                 pool_seed: str = "") -> None:
        self.rng = rng
        self.long = long
        self.pool = pool
        # with a pool_seed, each pool is made by its own random seeded from its key, so a
        # pool's content does not depend on which record asked for it first: pools can then
        # be shared by every job of a bulk load in this process, and the store is the same
        # however the jobs are spread over processes
        self.pool_seed = pool_seed
        self._pools: dict[tuple, list[str]] = _SHARED_POOLS.setdefault(
            (pool_seed, pool, long), {}) if pool_seed else {}
        self.memo: dict[tuple, Any] = {}   # per-run caches of things derived from a child

    def cached(self, key: tuple, make: Callable[[], Any]) -> Any:
        value = self.memo.get(key)
        if value is None:
            value = self.memo[key] = make()
        return value

    def n(self, short: tuple[int, int], long: tuple[int, int]) -> int:
        lo, hi = long if self.long else short
        return self.rng.randint(lo, hi)

    def text(self, key: tuple, build: Callable[[random.Random], str], fill: dict[str, str]) -> str:
        """``build`` makes a template with pronouns filled and {name}, {carer} ... left in.

        ``key`` must hold everything ``build`` depends on apart from the random choices.
        """
        if self.pool:
            pool = self._pools.get(key)
            if pool is None:
                maker = self.rng
                if self.pool_seed:
                    name, sex, ctx = key
                    maker = random.Random(f"{self.pool_seed}|{name}|{sex}|{','.join(sorted(ctx))}")
                    saved, self.rng = self.rng, maker
                    try:
                        pool = [build(maker) for _ in range(self.pool)]
                    finally:
                        self.rng = saved
                else:
                    pool = [build(maker) for _ in range(self.pool)]
                self._pools[key] = pool
            template = pool[self.rng.randrange(len(pool))]
        else:
            template = build(self.rng)
        return template.format_map(fill)


_KEEP = ("name", "carer", "school", "attendance", "risk", "him_carer", "his_carer", "alone")
_FMT_MAPS = {sex: {**{k: "{" + k + "}" for k in _KEEP}, **_pronouns(sex)} for sex in "fm"}


def _fmt(template: str, sex: str) -> str:
    """Fill the pronouns, leave the other placeholders."""
    return template.format_map(_FMT_MAPS[sex])


_NEEDS = re.compile(r"!?[a-z_0-9]+( !?[a-z_0-9]+)*")


def _words(*lists) -> frozenset[str]:
    """Every context word the entries of these lists test: what their pools depend on."""
    out: set[str] = set()

    def walk(x) -> None:
        if (isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], str)
                and isinstance(x[1], str) and _NEEDS.fullmatch(x[1])):
            out.update(w.lstrip("!") for w in x[1].split())
        elif isinstance(x, (tuple, list)):
            for y in x:
                walk(y)
        elif isinstance(x, dict):
            walk(tuple(x.values()))

    walk(lists)
    return frozenset(out)


def _topics(rng: random.Random, topics, n: int, concerns: int, sex: str,
            ctx: frozenset[str]) -> str:
    usable = [t for t in topics if _fits(("", t[0]), ctx)]
    chosen = rng.sample(range(len(usable)), min(n, len(usable)))
    bad = set(rng.sample(chosen, min(concerns, len(chosen))))
    out = []
    for i in chosen:
        _, good, worry = usable[i]
        worry = [_text_of(e) for e in worry if _fits(e, ctx)]
        out.append(rng.choice(worry if (i in bad and worry) else good))
    return " ".join(_fmt(s, sex) for s in out)


def _join(rng: random.Random, entries, k: int, ctx: frozenset[str], sex: str) -> str:
    return " ".join(_fmt(s, sex) for s in _choose(rng, entries, k, ctx))


def _topic_words(*topic_lists) -> frozenset[str]:
    out: set[str] = set()
    for topics in topic_lists:
        for needs, _, worry in topics:
            out.update(w.lstrip("!") for w in needs.split())
            out |= _words(worry)
    return frozenset(out)


#: For each kind of pooled text, the context words it depends on (the pool key).
_POOL_WORDS = {
    "purpose": _words(_PURPOSE_MORE),
    "wishes": _words(_WISHES),
    "shapes": _words(_SHAPES),
    "seen": _topic_words(_HOME_TOPICS, _PLACEMENT_TOPICS, _SCHOOL_TOPICS)
    | {"home", "placement", "school", "other"},
    "opinion": _words(_OPINION),
    "sources": _words(_SOURCES),
    "analysis": _words(_ANALYSIS_OPEN),
    "analysis_close": _words(_ANALYSIS_CLOSE),
}


# =====================================================================================
# One visit record's content
# =====================================================================================

@dataclass
class _Spec:
    """What happened on one visit, and where its record ends up."""

    kid: str
    wd_ago: int                  # the visit was N working days before today
    end: str                     # draft | partial | countersign | oversight | returned |
    #                              returned_cs | signed | resubmitted
    author: str = ""             # default: the allocated worker
    seen: str = "alone"          # alone | not_alone | not_seen
    not_alone: str = "inappropriate"   # refused | inappropriate | unable | other
    not_alone_detail: str = ""
    bedroom: str = ""            # yes | no | na (default from location)
    bedroom_reason: str = ""
    awake: str = "yes"
    interpreter: str = ""        # pro | family | not_used (default pro when needed)
    interpreter_mode: str = "in_person"
    location: str = ""           # default: home, or placement for a looked-after child
    announced: str = "announced"
    visit_type: str = ""
    tool: str = ""               # a tool used to hear the child's views
    advocate: str = ""
    joint: str = ""              # registered worker's full name, for an unqualified author
    countersigner: str = ""
    late: bool = False           # recorded outside the timescale (a flag to answer)
    trend: str = ""              # reduced | unchanged | increased (default: a mix)
    reasons: dict[str, str] = field(default_factory=dict)   # query code -> reason
    returned: str = ""           # the return-for-changes comment
    fix: str = ""                # added to the analysis before resubmitting (resubmitted)
    failed: dict[str, Any] = field(default_factory=dict)    # child-not-seen details
    family_interpreter: str = ""  # who interpreted, when interpreter == "family"
    why_not_used: str = ""       # why no interpreter, when interpreter == "not_used"
    partial: tuple[str, ...] = ("details", "seen", "identity")
    hour: int = 0                # visit time (0: chosen at random)


def _age(kid: _Kid, today: date) -> date:
    """Date of birth from the age given in the table."""
    years, months = kid.age
    return today - relativedelta(years=years, months=months) - timedelta(days=kid.days_old)


def _compose(w: _Writer, kid: _Kid, dob: date, spec: _Spec, visit_at: datetime,
             author_name: str, rng: random.Random) -> dict[str, dict[str, Any]]:
    """The content of a complete visit record for this kid and this spec."""
    sex = kid.sex
    day = visit_at.date()
    years = age_on(dob, day)
    band = _band(years)
    location = spec.location or ("placement" if kid.plan == "looked_after" else "home")
    seen = spec.seen != "not_seen"
    vtype = spec.visit_type or _VISIT_TYPE[kid.plan]
    ctx = w.cached(("ctx", kid.ref, band, location, spec.announced),
                   lambda: _context(kid, years, location, spec.announced))
    p = _pronouns(sex)
    carer = kid.carer or (kid.household[0][0] if kid.household else "the carer")
    cp = _pronouns("m" if carer.startswith("Mr ") else "f")
    fill = {"name": kid.known_as, "carer": carer, "school": kid.school or "school",
            "attendance": str(rng.choice((82, 86, 88, 91, 93, 95, 97))),
            "him_carer": cp["him"], "his_carer": cp["his"], "risk": "{risk}",
            "alone": "" if band in ("infant", "toddler") else " alone"}

    def T(key: str, build: Callable[[random.Random], str]) -> str:
        return w.text((key, sex, ctx & _POOL_WORDS[key.split(":")[0]]), build, fill)

    # 1 details ---------------------------------------------------------------------
    interp = spec.interpreter or ("pro" if kid.interpreter_for else "")
    lang = kid.interpreter_language
    i_name, i_agency = _INTERPRETERS.get(lang, ("", ""))
    present, absent = _people(kid, spec, interp)
    details: dict[str, Any] = {
        "visit_at": visit_at.isoformat(timespec="minutes"),
        "visit_type": vtype,
        "announced": spec.announced,
        "location": location,
        "purpose": T(f"purpose:{vtype}", lambda r: " ".join(
            [_fmt(_PURPOSE[vtype], sex)]
            + [_fmt(s, sex) for s in _choose(r, _PURPOSE_MORE, w.n((0, 1), (2, 3)), ctx)])),
        "present": present,
    }
    if absent:
        details["absent"] = absent
    else:
        details["none_absent"] = "yes"
    if location == "other":
        details["location_other"] = "Family centre"
    if spec.joint:
        details["joint_worker"] = spec.joint

    # 2 seen -------------------------------------------------------------------------
    if not seen:
        f = spec.failed
        seen_s: dict[str, Any] = {
            "child_seen": "no",
            "failed_what_happened": f["what"],
            "failed_attempts": f.get("attempts", ["phone", "neighbours", "school"]),
            "failed_attempts_detail": f.get("attempts_detail", ""),
            "failed_action": f.get("action", ["manager_informed", "revisit_booked"]),
            "failed_action_detail": f.get("action_detail", ""),
            "failed_next_seen": (day + timedelta(days=f.get("next_days", 1))).isoformat(),
        }
    else:
        bedroom = spec.bedroom or ("na" if location in ("school", "other") else "yes")
        seen_s = {"child_seen": "yes", "bedroom_seen": bedroom}
        if spec.seen == "alone":
            seen_s["seen_alone"] = "yes"
        else:
            seen_s["seen_alone"] = "no"
            seen_s["not_alone_reason"] = spec.not_alone
            if spec.not_alone_detail:
                seen_s["not_alone_detail"] = spec.not_alone_detail
        if bedroom == "no":
            seen_s["bedroom_reason"] = spec.bedroom_reason
        if years < 2:
            seen_s["infant_awake"] = spec.awake

    # 3 voice -------------------------------------------------------------------------
    if not seen:
        voice: dict[str, Any] = {"views_from_others": spec.failed["views"]}
    else:
        voice = {}
        if band in ("infant", "toddler"):
            voice["methods"] = ["observation"] if band == "infant" else ["observation", "own_words"]
            if band == "infant":
                voice["said"] = (
                    f"{kid.known_as} was awake for most of the visit. {p['He']} fixed on faces, "
                    f"smiled when {carer} spoke to {p['him']} and fed well from a bottle. "
                    f"{p['His']} nappy was clean and {p['his']} skin clear; I saw no marks when "
                    f"{carer} changed {p['him']} at my request." if spec.awake == "yes" else
                    f"{kid.known_as} was asleep in {p['his']} cot throughout the visit. {p['He']} "
                    f"was breathing easily, looked well-nourished and was warm but not hot.")
            else:
                voice["said"] = (
                    f"{kid.known_as} played with the toy cars, brought me a book and said "
                    f"“car” and “Mummy” when pointing at the pictures. {p['He']} went to {carer} "
                    f"when {p['he']} bumped {p['his']} knee and was soothed quickly.")
        elif kid.nonverbal:
            voice["methods"] = ["observation", "tool"]
            voice["tool"] = "other"
            voice["said"] = (
                f"{kid.known_as} did not use words. {p['He']} led me by the hand to the "
                f"trampoline, flapped {p['his']} hands and smiled when {carer} counted "
                f"{p['his']} jumps. With {p['his']} PECS book {p['he']} chose the pictures of "
                f"the trampoline, a smiling face and {p['his']} mum, and pushed away the "
                f"picture of the school bus.")
        else:
            tool = spec.tool
            voice["methods"] = (["own_words"] + (["tool"] if tool else [])
                                + (["advocate"] if spec.advocate else []))
            if tool:
                voice["tool"] = tool
                if tool == "signs_of_safety":
                    voice["scale"] = rng.choice((5, 6, 7, 8))
            if spec.advocate:
                voice["advocate"] = spec.advocate
            quotes = w.cached(("quotes", band, ctx), lambda: [
                q for q in _QUOTES[band] if _fits(("", q[2]), ctx)])
            picked = rng.sample(quotes, min(w.n((2, 3), (3, 5)), len(quotes)))
            lines = []
            for lead, quote, _ in picked:
                lead = _fmt(lead, sex)
                if not lines and kid.interpreter_for in ("child", "both") and interp == "pro":
                    lead = ("In BSL, " if "Sign" in lang else "Through the interpreter, ") + (
                        lead if lead.startswith("{name}") else _lower_first(lead))
                lines.append(lead.replace("{name}", kid.known_as).replace("{carer}", carer)
                             + " " + quote)
            if tool == "signs_of_safety":
                lines.append(f"On the Signs of Safety scale {p['he']} put {p['him']}self at "
                             f"{voice['scale']}: “more good days than bad ones”.")
            voice["said"] = " ".join(lines)
        wish_band = "nonverbal" if kid.nonverbal and band not in ("infant", "toddler") else band
        voice["wishes"] = T(f"wishes:{wish_band}", lambda r: " ".join(
            _fmt(s, sex) for s in _choose(r, _WISHES[wish_band], 1, ctx)))
        voice["shapes_plan"] = T("shapes", lambda r: _join(
            r, _SHAPES, w.n((1, 2), (2, 3)), ctx, sex))

    # 4 identity ----------------------------------------------------------------------
    identity_key = ("identity", kid.ref, interp, spec.interpreter_mode, spec.family_interpreter,
                    spec.why_not_used)
    identity = w.memo.get(identity_key) if w.pool else None
    if identity is None:
        identity = _identity(kid, spec, interp, lang, i_name, i_agency)
        if w.pool:  # shared between a child's records: never changed after this
            w.memo[identity_key] = identity

    # 5 observations ------------------------------------------------------------------
    worry = {"increased": 2, "unchanged": 1, "reduced": 0}.get(spec.trend, rng.choice((0, 0, 1)))
    topics = {"placement": _PLACEMENT_TOPICS, "school": _SCHOOL_TOPICS}.get(location, _HOME_TOPICS)
    if seen:
        bed = seen_s.get("bedroom_seen") == "yes"
        bed_kind = "infant" if years < 2 else ("placement" if location == "placement" else "home")

        def seen_text(r: random.Random) -> str:
            s = _topics(r, topics, w.n((3, 4), (5, 7)), worry, sex, ctx)
            return s + (" " + _fmt(r.choice(_BEDROOM[bed_kind]), sex) if bed else "")
        obs_seen = T(f"seen:{worry}:{bed}", seen_text)
    else:
        obs_seen = spec.failed["observed"]
    observations = {
        "seen": obs_seen,
        "opinion": T("opinion", lambda r: _join(r, _OPINION, w.n((1, 2), (2, 3)), ctx, sex)),
        "sources": T("sources", lambda r: _join(r, _SOURCES, w.n((2, 3), (3, 4)), ctx, sex)),
    }

    # 6 analysis -----------------------------------------------------------------------
    risks = []
    risk_text = []
    for risk in kid.risks:
        change = spec.trend or rng.choice(
            ("reduced", "unchanged", "unchanged", "reduced", "increased"))
        risks.append({"risk": risk, "change": change})
        risk_text.append(rng.choice(_RISK_SENTENCES[change]).replace("{risk}", _lower_first(risk)))
    opening = T("analysis", lambda r: _join(r, _ANALYSIS_OPEN, w.n((1, 2), (2, 4)), ctx, sex))
    closing = T("analysis_close", lambda r: _join(r, _ANALYSIS_CLOSE, 1, ctx, sex))
    analysis = {"analysis": " ".join([opening, *risk_text, closing]), "risks": risks}

    # 7 actions --------------------------------------------------------------------------
    actions = _actions(rng, kid, spec, ctx, day, author_name, carer, seen)
    return {"details": details, "seen": seen_s, "voice": voice, "identity": identity,
            "observations": observations, "analysis": analysis, "actions": actions}


def _people(kid: _Kid, spec: _Spec, interp: str) -> tuple[list[dict], list[dict]]:
    """Who was present and who was expected but absent."""
    lang = kid.interpreter_language
    i_name, i_agency = _INTERPRETERS.get(lang, ("", ""))
    seen = spec.seen != "not_seen"
    present = [{"name": kid.name, "role": "child"}] if seen else []
    present += [{"name": n, "role": r} for n, r in spec.failed.get("present", kid.household)]
    if interp == "pro" and spec.interpreter_mode == "in_person":
        present.append({"name": i_name, "role": f"interpreter ({lang}), {i_agency.split(',')[0]}"})
    if spec.joint:
        present.append({"name": spec.joint, "role": "registered social worker (joint visit)"})
    absent = ([] if seen else [(kid.name, "child (not seen)")]) + list(kid.absent)
    return present, [{"name": n, "role": r} for n, r in absent]


def _identity(kid: _Kid, spec: _Spec, interp: str, lang: str, i_name: str,
              i_agency: str) -> dict[str, Any]:
    identity: dict[str, Any] = {
        "ethnicity": kid.ethnicity, "religion": kid.religion or "None",
        "first_language": kid.language, "disability": kid.disability or "None known",
        "profile_confirmed": "yes",
        "needs_considered": (kid.needs or
                             f"{kid.known_as}'s cultural and identity needs were discussed."),
        "how_met": kid.how_met or "Met through the plan.",
        "carers_different_ethnicity": kid.carers_different,
        "interpreter_needed": "yes" if kid.interpreter_for else "no",
    }
    if kid.carers_different == "yes":
        identity["carers_meet_needs"] = kid.carers_meet_needs
    if kid.interpreter_for:
        identity["interpreter_for"] = kid.interpreter_for
        if interp == "not_used":
            identity["interpreter_used"] = "no"
            identity["interpreter_not_used_why"] = spec.why_not_used or (
                "The telephone interpreter line dropped twice and could not reconnect; I kept "
                "to simple practical arrangements and will book an interpreter in person.")
        else:
            identity["interpreter_used"] = "yes"
            identity["interpreter_language"] = lang
            if interp == "family":
                identity["interpreter_name"] = spec.family_interpreter
                identity["interpreter_relationship"] = "family"
                identity["interpreter_mode"] = "in_person"
            else:
                identity["interpreter_name"] = i_name
                identity["interpreter_agency"] = i_agency
                identity["interpreter_relationship"] = "professional"
                identity["interpreter_mode"] = spec.interpreter_mode
    return identity


@lru_cache(maxsize=4096)
def _fitting_actions(ctx: frozenset[str]) -> tuple[tuple[str, str, int, str], ...]:
    return tuple(a for a in _ACTION_POOL if _fits(("", a[3]), ctx))


def _actions(rng, kid: _Kid, spec: _Spec, ctx: frozenset[str], day: date, author_name: str,
             carer: str, seen: bool) -> dict[str, Any]:
    if seen and rng.random() < 0.12:
        return {"no_new_actions": "yes",
                "no_actions_why": "The actions agreed at the last meeting about the plan are "
                                  "still in date and on track; nothing new arose on this visit."}
    out = []
    if not seen:
        out.append({"what": f"See {kid.known_as} (revisit booked; police welfare check if "
                            "not seen)",
                    "who": author_name,
                    "by_when": (day + timedelta(days=spec.failed.get("next_days", 1))).isoformat()})
    fitting = _fitting_actions(ctx)
    for what, who, days, _ in rng.sample(fitting, min(len(fitting), rng.randint(1, 3))):
        out.append({"what": what.replace("{name}", kid.known_as).replace("{carer}", carer),
                    "who": who.replace("{worker}", author_name).replace("{carer}", carer),
                    "by_when": (day + timedelta(days=days)).isoformat()})
    return {"actions": out}


# =====================================================================================
# The demo team's visits: what happened, and where each record ends up
# =====================================================================================

_S = _Spec
_VISITS: tuple[_Spec, ...] = (
    # Kayden: last signed-off visit 16 working days ago (child protection: every 10) -> overdue;
    # the worker saw him yesterday and has only started the record.
    _S("RV-1001", 16, "signed", announced="unannounced", trend="unchanged"),
    _S("RV-1001", 1, "partial", announced="unannounced"),
    _S("RV-1002", 7, "signed", tool="three_houses"),
    # Leon: a failed-access visit (missing from home), then seen but not alone
    _S("RV-1007", 8, "signed", seen="not_seen", announced="unannounced", failed={
        "present": (("Michelle Campbell", "mother"),),
        "what": "Unannounced visit at 16:10. Ms Campbell answered the door and said Leon had not "
                "come home from school and was not answering his phone. She had not reported "
                "him missing because he has come back late before.",
        "attempts": ["phone", "school", "other"],
        "attempts_detail": "Phoned Leon twice (no answer; messages left). School confirmed he "
                           "left at 15:20 with two older boys. Ms Campbell rang his friends' "
                           "parents while I was there; none had seen him.",
        "action": ["manager_informed", "police_welfare", "other"],
        "action_detail": "Ms Campbell reported Leon missing to police at 16:45 with my support "
                         "(reference given to her). Told the exploitation team and his youth "
                         "worker; my manager agreed a return-home interview.",
        "next_days": 1,
        "views": "Ms Campbell said Leon told her last week he is “sick of everyone checking up "
                 "on him”. His youth worker said Leon has told him he wants to stay at his "
                 "school and does not want to be moved away from his mum.",
        "observed": "The house was tidy and warm. Ms Campbell was tearful and said she is "
                    "frightened for Leon. His bedroom was not seen because he was not at home.",
    }),
    _S("RV-1007", 2, "oversight", seen="not_alone", not_alone="refused",
       not_alone_detail="Leon said he would only talk with his mum in the room after last week; "
                        "I offered to see him at school instead and he said he would think "
                        "about it.", tool="mind_of_my_own"),
    _S("RV-1013", 6, "signed", tool="mind_of_my_own", location="home"),
    _S("RV-1013", 3, "returned", tool="mind_of_my_own",
       returned="Please record what Ellie-Mae told you about the man she met at the bus "
                "station, in her own words, and rate the risk of child sexual exploitation "
                "against what the exploitation team told you on Monday. Then resubmit."),
    _S("RV-1003", 9, "resubmitted", interpreter_mode="phone", tool="signs_of_safety",
       returned="The analysis does not yet say what the arguments at home mean for Zofia, and "
                "the risk of parental alcohol misuse needs the school's view. Please add both "
                "and resubmit.",
       fix="Since the manager's comments I have spoken to Zofia's school: staff say the "
           "arguments at home show in tiredness on Monday mornings, which fits what Zofia told "
           "me. The risk from parental alcohol misuse stays as rated until the alcohol service "
           "confirms Mr Wiśniewski's attendance."),
    # Ioana: the booked interpreter did not come and her uncle interpreted (a query, overridden)
    _S("RV-1005", 5, "signed", interpreter="family", family_interpreter="Florin Popescu",
       reasons={"identity.interpreter_not_professional":
                "The booked Romanian interpreter did not arrive and the agency had nobody else "
                "that afternoon. Mrs Popescu asked her brother Florin to interpret so that the "
                "visit could go ahead. I kept to practical matters and did not discuss the "
                "conference concerns through him. A professional interpreter is booked in "
                "person for the next visit."}),
    _S("RV-1011", 8, "signed", bedroom="no",
       bedroom_reason="Siobhán's older sister was asleep in their shared bedroom after a night "
                      "shift and Mrs O'Connor asked me not to go in. I will see it at the next "
                      "visit."),
    _S("RV-1015", 18, "signed", interpreter_mode="video", tool="my_star"),
    _S("RV-1004", 6, "signed", seen="not_alone", not_alone="inappropriate", awake="yes",
       announced="unannounced"),
    # Omar: his father would not leave the room (a query, overridden)
    _S("RV-1012", 7, "signed", seen="not_alone", not_alone="unable", trend="unchanged",
       not_alone_detail="Mr Al-Hassan said it was not acceptable for Omar to talk to a stranger "
                        "alone and stayed in the room throughout.",
       reasons={"seen.not_alone_unable":
                "Mr Al-Hassan would not leave the room and Omar looked anxious, so I did not "
                "insist at home. I have arranged to see Omar alone at school with the "
                "interpreter within the week, and the conference chair knows."}),
    # Ali: non-verbal (a query for no quoted words, overridden); recorded late
    _S("RV-1017", 13, "signed", seen="not_alone", not_alone="inappropriate", late=True,
       not_alone_detail="Ali needs his mother to help him use his PECS book; seeing him alone "
                        "would not have given him a voice.",
       reasons={"voice.no_quoted_words":
                "Ali is non-verbal. His views were gathered by observation and with his PECS "
                "book, as recorded above: there are no spoken words to quote."}),
    # Aisha: last visit 35 working days ago, 6-weekly visits -> overdue
    _S("RV-1031", 35, "signed", tool="my_star"),
    _S("RV-1020", 30, "signed", author="priya", interpreter_mode="phone"),
    _S("RV-1020", 2, "oversight", countersigner="priya"),
    _S("RV-1027", 19, "signed", advocate="Beth Murray, National Youth Advocacy Service"),
    _S("RV-1029", 50, "signed", tool="three_houses"),
    _S("RV-1006", 4, "signed", tool="three_houses", announced="unannounced"),
    # the student's visits: a joint visit that counts as statutory, then one sent back
    _S("RV-1008", 8, "signed", joint="Sam Whitfield", countersigner="sam"),
    _S("RV-1008", 2, "returned_cs", countersigner="sam",
       returned="Chloe, please quote what Maisie said or showed in her own words, and add what "
                "nursery told you. You went on your own this time, so this is not a statutory "
                "visit: book the next one with me."),
    # awaiting registration: a joint visit; the infant was asleep (a query, overridden)
    _S("RV-1009", 6, "signed", joint="Tom Okafor", countersigner="tom", seen="not_alone",
       not_alone="inappropriate", awake="no",
       reasons={"seen.infant_not_awake":
                "Ayaan had just gone down for his nap after a disturbed night and Mrs Hussain "
                "was worried about waking him. I saw him breathing easily in his cot. I will "
                "see him awake at a visit booked for after his nap later this week."}),
    # Kai: the student visited alone, so it does not count: his statutory visit is overdue
    _S("RV-1030", 12, "signed", countersigner="priya"),
    _S("RV-1016", 3, "oversight", tool="my_star"),
    _S("RV-1018", 3, "oversight"),
    _S("RV-1040", 2, "oversight", seen="not_alone", not_alone="inappropriate",
       announced="unannounced", trend="unchanged"),
    # the manager's own case: no other manager to sign it off, and it is overdue
    _S("RV-1010", 1, "oversight", author="manager"),
    _S("RV-1021", 2, "countersign", seen="not_alone", not_alone="inappropriate"),
    _S("RV-1014", 1, "countersign", joint="Tom Okafor", tool="three_houses"),
    _S("RV-1024", 4, "returned", interpreter="not_used",
       why_not_used="The telephone interpreter line dropped twice and could not reconnect. "
                    "Şahin offered to interpret for his mother but I did not let him.",
       reasons={"identity.interpreter_not_used":
                "I could not reconnect the phone interpreter and would not use Şahin to "
                "interpret for his mother; I kept to arranging the next visit."},
       returned="Mrs Yıldız could not follow the discussion about Şahin's attendance. Please "
                "rebook with an interpreter in person this week and record what she says."),
    _S("RV-1026", 2, "draft"),
    _S("RV-1022", 1, "partial"),
    _S("RV-1025", 1, "draft"),
    _S("RV-1037", 3, "partial", partial=("details", "seen")),
    _S("RV-1028", 1, "draft", interpreter_mode="phone"),
    _S("RV-1034", 2, "draft", location="placement"),
)

_COUNTERSIGNER = {"student": "sam", "awaiting": "tom"}
_COUNTERSIGN_COMMENTS = (
    "I have read the whole record against the plan. {name}'s words are quoted, the risks are "
    "rated with evidence and the actions are specific. Agreed.",
    "Checked every section: the record is accurate to what we discussed after the visit, and "
    "the analysis is proportionate. I agree with the actions.",
    "Read in full. A clear record; I have talked through the analysis with the author and "
    "agree with the judgement about risk.",
)


_NOTE_PLANS = {"child_protection": "child protection plan", "child_in_need": "child in need plan",
               "looked_after": "care plan", "private_fostering": "private fostering arrangement"}
_NOTE_DECISIONS = (
    "Continue the {plan} without change until the next review.",
    "Continue the {plan}; the actions in the record are agreed, with one addition below.",
    "Continue the {plan}. No escalation needed on this evidence, but I want the next visit "
    "to be unannounced.",
)
_NOTE_ANALYSIS = (
    "I have read the whole record, including {name}'s own words and the sources named.",
    "The record separates what was seen from what was said, and the analysis follows from "
    "the evidence.",
    "The picture matches what other agencies told the last meeting about the plan, which "
    "gives me more confidence that {name}'s circumstances are as described.",
    "The strengths are real but recent; I want to see them sustained before we reduce the "
    "level of intervention.",
    "I have considered whether the plan is still proportionate and whether anything here "
    "calls for a strategy discussion; it does not at present.",
    "I discussed this visit with {author} and we agreed the judgement about risk.",
)
_NOTE_ACTIONS = ("Next statutory visit to {name}", "Review the safety plan with {name}'s family",
                 "Update {name}'s chronology and plan")


@lru_cache(maxsize=4096)
def _review_day(region: str, visit_day: date, working_days: int) -> date:
    return working_days_for(region).add_working_days(visit_day, working_days)


def _note(rng: random.Random, kid: _Kid, spec: _Spec, flags, risks, visit_day: date,
          author_name: str, countersigner: str, wd, *,
          review_tokens: bool = False) -> OversightInput:
    """A management oversight note that answers every flag on the visit."""
    fill = {"name": kid.known_as, "author": author_name, "plan": _NOTE_PLANS[kid.plan]}
    review = _review_day(wd.region, visit_day, rng.choice((8, 10, 12)))
    review_iso, review_text = review.isoformat(), f"{review.day} {review:%B %Y}"
    if review_tokens:  # a bulk prototype: the review date is filled in per record
        review_iso, review_text = _T1 + "review_iso" + _T1, _T1 + "review_text" + _T1
    ratings = "; ".join(f"{r['risk']}: {r['change']}" for r in risks) or "see the record"
    preverbal = kid.age[0] < 4 or kid.nonverbal
    how = "observed" if preverbal else f"in {_pronouns(kid.sex)['his']} own words"
    return OversightInput(
        decision=rng.choice(_NOTE_DECISIONS).format_map(fill),
        analysis=" ".join(rng.sample(_NOTE_ANALYSIS, 4)).format_map(fill),
        risk=f"As rated in the record ({ratings}). I agree with these ratings on the evidence "
             "given.",
        actions=({"what": rng.choice(_NOTE_ACTIONS).format_map(fill), "who": author_name,
                  "by_when": review_iso},),
        timeframe=f"Review in supervision by {review_text}.",
        child_voice=f"{kid.known_as}'s wishes as recorded ({how}) are reflected in the decision "
                    "and will be shared at the next review.",
        flag_responses={f.code: _flag_response(f.code, kid, spec, author_name, countersigner)
                        for f in flags},
    )


def _flag_response(code: str, kid: _Kid, spec: _Spec, author: str, countersigner: str) -> str:
    name = kid.known_as
    p = _pronouns(kid.sex)
    if code == "child_not_seen":
        return (f"The attempts to see {name} were proportionate and the police were told the "
                f"same day. {author} must see {name} within 24 hours and tell me the outcome; "
                "if not, I will convene a strategy discussion.")
    if code == "not_seen_alone":
        return {
            "inappropriate": f"Agreed: seeing {name} alone was not appropriate for {p['his']} "
                             "age and needs; the observation recorded gives a good account.",
            "refused": f"{name}'s choice is respected. Offer again at every visit and arrange "
                       f"to see {p['him']} at school; if refused twice more, discuss with me.",
            "unable": f"Not acceptable to continue: {name} must be seen alone at school within "
                      "5 working days. I have told the conference chair.",
        }.get(spec.not_alone, f"Noted; {name} to be seen alone at the next visit.")
    if code == "bedroom_not_seen":
        return "The reason is understood. The bedroom must be seen at the next visit, " \
               "unannounced if needed."
    if code == "informal_interpreter":
        return ("Using a family member to interpret is against our procedure, even at short "
                "notice. I accept nothing sensitive was discussed through him. A professional "
                "interpreter is booked for the next visit; discussed in supervision.")
    if code.startswith("query:"):
        return {
            "query:seen.not_alone_unable": f"I accept the reason; see my response above on "
                                           f"seeing {name} alone at school.",
            "query:voice.no_quoted_words": f"Agreed: {name} is non-verbal, and the PECS and "
                                           "observation record is a good account of "
                                           f"{p['his']} views.",
            "query:seen.infant_not_awake": f"Accepted this once: {name} must be seen awake at "
                                           "the next visit, which is booked.",
            "query:identity.interpreter_not_professional": "See my response on the family "
                                                           "interpreter above.",
            "query:identity.interpreter_not_used": "Not acceptable to leave it there: an "
                                                   "interpreter in person is to be booked.",
        }.get(code, "I have read the worker's reason and accept it.")
    if code == "unqualified_author":
        if spec.joint:
            return (f"Joint visit with {spec.joint} (registered), so it counts as statutory. "
                    f"Countersigned by {countersigner}.")
        return (f"Countersigned by {countersigner}. No registered social worker attended, so "
                f"this is not a statutory visit: {name}'s statutory visit is still due and a "
                "joint visit is to be booked now.")
    if code == "recorded_late":
        return (f"Recorded outside the timescale. I have discussed {author}'s workload in "
                "supervision and moved one case to free time for recording.")
    return "Read and considered; no further action needed on this point."


class _Clock:
    """The services' clock while the demo is made: moved through the past, one event at a time."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current


def _utc(local: datetime) -> datetime:
    return local.astimezone(timezone.utc)  # a naive datetime is taken as local time


class _DemoRun:
    def __init__(self, svc: Services, rng: random.Random, base: datetime, clock: _Clock) -> None:
        self.svc = svc
        self.rng = rng
        self.clock = clock
        self.limit = base.astimezone().replace(tzinfo=None) - timedelta(minutes=5)
        self.today = base.astimezone().date()
        self.wd = working_days_for(svc.policy.bank_holiday_region)
        self.events: list[tuple[datetime, int, Callable[[], None]]] = []
        self.ids: dict[str, int] = {}
        self.child_ids: dict[str, int] = {}
        self.kids = {k.ref: k for k in _KIDS}
        self.dobs = {k.ref: _age(k, self.today) for k in _KIDS}
        self.passwords = {a[0]: a[5] for a in _ACCOUNTS}
        self.writer = _Writer(rng)

    # -- time -------------------------------------------------------------------------
    def day(self, wd_ago: int) -> date:
        return self.wd.add_working_days(self.today, -wd_ago)

    def at(self, when: datetime, fn: Callable[[], None]) -> None:
        self.events.append((when, len(self.events), fn))

    def later(self, prev: datetime, working_days: int, hh: int, mm: int) -> datetime:
        """``working_days`` after ``prev`` at hh:mm, never in the future and always after prev."""
        d = self.wd.add_working_days(prev.date(), working_days)
        t = datetime.combine(d, time(hh, mm)) if d < self.today else prev + timedelta(minutes=25)
        t = min(t, self.limit)
        return max(t, prev + timedelta(seconds=30))

    def play(self) -> None:
        for when, _, fn in sorted(self.events, key=lambda e: (e[0], e[1])):
            self.clock.current = _utc(when)
            fn()

    # -- the team -------------------------------------------------------------------------
    def schedule(self) -> None:
        svc = self.svc
        setup = datetime.combine(self.day(65), time(9, 0))
        checked = setup.date() - timedelta(days=14)
        admin_pw = self.passwords["admin"]

        def first_admin() -> None:
            self.ids["admin"] = accounts.create_first_admin(svc, "admin", _NAMES["admin"], admin_pw)

        self.at(setup, first_admin)
        self.at(setup + timedelta(minutes=4),
                lambda: accounts.add_team(svc, self.ids["admin"], TEAM))
        for n, (username, full, role, kind, number, pw, _) in enumerate(_ACCOUNTS[1:], 1):
            def add(username=username, full=full, role=role, kind=kind, number=number, pw=pw):
                self.ids[username] = accounts.add_user(
                    svc, self.ids["admin"], username=username, full_name=full, role=role,
                    password=pw, team=TEAM, registration_number=number, unqualified_kind=kind,
                    registration_checked_on=checked)
            self.at(setup + timedelta(minutes=8 + 3 * n), add)
        # the children arrive as a CSV import, as they would from the council's old system
        self.at(setup + timedelta(minutes=40), self._import_children)
        for spec in _VISITS:
            self._schedule_visit(spec)

    def _import_children(self) -> None:
        out = io.StringIO()
        csv_out = csv.writer(out)
        csv_out.writerow(children.CSV_COLUMNS)
        for kid in _KIDS:
            csv_out.writerow((
                kid.ref, kid.name, self.dobs[kid.ref].isoformat(), kid.ethnicity, kid.religion,
                kid.language, "yes" if kid.interpreter_for else "no", kid.disability, kid.plan,
                self.day(kid.plan_start).isoformat(), "yes" if kid.long_term else "no",
                ";".join(kid.risks), TEAM, kid.worker))
        children.import_csv(self.svc, self.ids["admin"], out.getvalue())
        with self.svc.reading() as s:
            self.child_ids = dict(s.execute(select(Child.reference, Child.id)).all())

    # -- one visit ---------------------------------------------------------------------------
    def _schedule_visit(self, spec: _Spec) -> None:
        rng, svc = self.rng, self.svc
        kid = self.kids[spec.kid]
        author = spec.author or kid.worker
        unqualified = author in _COUNTERSIGNER
        day = self.day(spec.wd_ago)
        hour = spec.hour or rng.choice((9, 10, 11, 13, 14, 15))
        visit_at = datetime.combine(day, time(hour, rng.choice((0, 10, 15, 20, 30, 40, 45))))
        content = _compose(self.writer, kid, self.dobs[kid.ref], spec, visit_at,
                           _NAMES[author], rng)
        state: dict[str, int] = {}

        def actor(username: str) -> int:
            return self.ids[username]

        def start() -> None:
            state["vid"] = visits.start_visit(svc, actor(author), self.child_ids[kid.ref])

        t = visit_at + timedelta(minutes=rng.randint(70, 120))
        self.at(t, start)
        sections = spec.partial if spec.end == "partial" else tuple(content)
        for section in sections:
            t += timedelta(minutes=3)
            self.at(t, lambda section=section: visits.save_section(
                svc, actor(author), state["vid"], section, content[section]))
        if spec.end in ("draft", "partial"):
            return

        def submit() -> None:
            reasons = self._reasons(kid, spec, content)
            visits.submit(svc, actor(author), state["vid"], query_reasons=reasons)

        t = self.later(t, 4 if spec.late else 1, 10, 5)
        self.at(t, submit)
        countersigner = spec.countersigner or _COUNTERSIGNER.get(author, "")
        if unqualified:
            if spec.end == "countersign":
                return
            t = self.later(t, 1, 11, 20)
            if spec.end == "returned_cs":
                self.at(t, lambda: visits.return_for_changes(
                    svc, actor(countersigner), state["vid"], spec.returned))
                return
            comment = rng.choice(_COUNTERSIGN_COMMENTS).replace("{name}", kid.known_as)
            self.at(t, lambda: visits.countersign(
                svc, actor(countersigner), state["vid"], comment, self.passwords[countersigner]))
        if spec.end == "oversight":
            return
        t = self.later(t, 1, 14, 10)
        if spec.end in ("returned", "resubmitted"):
            self.at(t, lambda: visits.return_for_changes(
                svc, actor("manager"), state["vid"], spec.returned))
            if spec.end == "returned":
                return
            t = self.later(t, 1, 9, 30)
            self.at(t, lambda: self._fix_and_resubmit(kid, spec, content, author, state["vid"]))
            t = self.later(t, 1, 15, 0)
        else:
            t = self.later(t, 1, 15, 0)

        def sign_off() -> None:
            vid = state["vid"]
            with svc.reading() as s:
                flags = visits.flags_for(s, svc, s.get(Visit, vid))
            note = _note(rng, kid, spec, flags, content["analysis"]["risks"], day, _NAMES[author],
                         _NAMES.get(countersigner, ""), self.wd)
            visits.sign_off(svc, actor("manager"), vid, note, self.passwords["manager"])

        self.at(t, sign_off)

    def _fix_and_resubmit(self, kid: _Kid, spec: _Spec, content, author: str, vid: int) -> None:
        analysis = dict(content["analysis"])
        analysis["analysis"] += " " + spec.fix
        content["analysis"] = analysis
        visits.save_section(self.svc, self.ids[author], vid, "analysis", analysis)
        visits.submit(self.svc, self.ids[author], vid,
                      query_reasons=self._reasons(kid, spec, content))

    def _reasons(self, kid: _Kid, spec: _Spec, content) -> dict[str, str]:
        """A reason for each query the record raises; the demo's content has no errors."""
        ctx = VisitContext(child_name=kid.name, child_dob=self.dobs[kid.ref],
                           now=self.svc.now_local(), plan_risks=kid.risks)
        findings = validate(clean_content(content, self.svc.policy), ctx)
        errors = [f.code for f in findings if f.severity is Severity.ERROR]
        missing = [f.code for f in findings
                   if f.severity is Severity.QUERY and f.code not in spec.reasons]
        if errors or missing:  # a mistake in this module's data, not the user's
            raise RuntimeError(f"demo visit for {kid.ref} is not complete: {errors + missing}")
        return {f.code: spec.reasons[f.code] for f in findings if f.severity is Severity.QUERY}


def _refuse_non_empty(count: Callable[[Any], int]) -> None:
    if any(count(model) for model in (Worker, Team, Child)):
        raise Conflict("This store already has accounts, teams or children; the demo fills only "
                       "an empty store. Use a new data folder (recorder --data-dir DIR demo).",
                       audit_detail="store_not_empty")


def populate(svc: Services, *, seed: int = 2026) -> list[DemoAccount]:
    """Fill an empty store with the demo team; return the accounts to sign in with.

    Everything goes through the services (validated and audited), with the services' clock
    moved through the past so that visits were recorded, countersigned and signed off on
    plausible days before ``svc.now()``; the clock is restored afterwards.
    """
    with svc.reading() as s:
        _refuse_non_empty(lambda model: s.scalar(select(func.count()).select_from(model)))
    base = svc.now()
    original_clock, original_hasher = svc.clock, svc.hasher
    clock = _Clock(base)
    svc.clock = clock
    svc.hasher = _RememberingHasher(accounts.hasher(svc))
    try:
        run = _DemoRun(svc, random.Random(seed), base, clock)
        run.schedule()
        run.play()
    finally:
        svc.clock, svc.hasher = original_clock, original_hasher
    return [DemoAccount(a[0], a[5], a[6]) for a in _ACCOUNTS]


class _RememberingHasher:
    """The store's hasher, remembering the passwords it has hashed while the demo is made.

    Countersign and sign-off ask for the signer's password again; the demo signs about
    twenty-five records with four people's passwords. Each account's hash is made here with
    the store's real hasher (argon2 defaults), and checking the password it was just made
    from could only succeed, so those checks are answered from memory instead of costing
    argon2's time again. Anything else is checked by the real hasher. Only for populate().
    """

    def __init__(self, inner) -> None:
        self._inner = inner
        self._known: set[tuple[str, str]] = set()

    def hash(self, password: str) -> str:
        hashed = self._inner.hash(password)
        self._known.add((hashed, password))
        return hashed

    def verify(self, hashed: str, password: str) -> bool:
        if (hashed, password) in self._known:
            return True
        ok = self._inner.verify(hashed, password)
        if ok:
            self._known.add((hashed, password))
        return ok


# =====================================================================================
# Bulk: a big store for benchmarks
# =====================================================================================

BATCH = 5_000               # rows per executemany
_CADENCE = {"child_protection": 9, "child_in_need": 18, "looked_after": 28,
            "private_fostering": 28}   # working days between bulk visits
_VISITS_PER_TRANSACTION = 100_000
_HISTORY_WORKING_DAYS = 2_500   # about ten years
#: Every account a bulk load makes shares this password (and one precomputed hash of it).
BULK_PASSWORD = "bulk-demo-password"

# weight, ethnicity, religions, language, interpreter language, girls, boys, surnames
_BACKGROUNDS: tuple[tuple[int, str, tuple[str, ...], str, str, str, str, str], ...] = (
    (38, "White British", ("None", "None", "Christian", "Church of England"), "English", "",
     "Olivia Amelia Isla Ava Mia Freya Lily Poppy Ellie Grace Ruby Evie Sophie Chloe Jessica",
     "Oliver George Harry Noah Jack Leo Charlie Freddie Alfie Archie Jacob Riley Mason Tyler Kai",
     "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
     "Walker White Roberts Green Hall Wood Jackson Clarke"),
    (5, "White - Polish", ("Roman Catholic",), "Polish", "Polish",
     "Zuzanna Julia Maja Zofia Hanna Lena Alicja", "Jakub Antoni Szymon Jan Filip Kacper Mikołaj",
     "Nowak Wójcik Kowalczyk Mazur Krawczyk Zając Król Wieczorek"),
    (3, "White - Romanian", ("Romanian Orthodox",), "Romanian", "Romanian",
     "Ioana Maria Elena Andreea Ana Sofia", "Andrei Ștefan Mihai Alexandru David Luca",
     "Popescu Ionescu Popa Stan Dumitru Munteanu Marin"),
    (7, "Asian British - Pakistani", ("Muslim",), "English and Urdu", "Urdu",
     "Aisha Maryam Zainab Hafsa Inaya Amira", "Muhammad Ibrahim Yusuf Ayaan Hamza Zayn",
     "Khan Hussain Ahmed Ali Iqbal Akhtar Mahmood"),
    (4, "Asian British - Bangladeshi", ("Muslim",), "English and Sylheti", "Sylheti",
     "Fatima Ayesha Sumaiya Nusrat Tahmina", "Abdullah Rahim Tanvir Arif Sami",
     "Begum Miah Uddin Rahman Islam Chowdhury"),
    (4, "Asian British - Indian", ("Hindu", "Sikh", "Muslim"), "English and Gujarati", "",
     "Ananya Priya Diya Simran Aarohi", "Arjun Rohan Aarav Harjeet Veer",
     "Patel Sharma Singh Gill Mistry Shah"),
    (5, "Black British - Caribbean", ("Christian", "None"), "English", "",
     "Tiana Jada Kayla Aaliyah Imani", "Marcus Jaden Tyrese Isaiah Malachi",
     "Campbell Richards Brown Francis Thomas Clarke"),
    (4, "Black African - Nigerian", ("Christian", "Christian (Pentecostal)"), "English and Yoruba", "",
     "Adaeze Chioma Tolu Simi Precious", "Chidi Tobi Emeka David Daniel",
     "Okonkwo Adeyemi Bakare Okafor Eze Balogun"),
    (3, "Black African - Somali", ("Muslim",), "Somali", "Somali",
     "Hodan Ayan Sagal Fardowsa Ikran", "Abdi Hamza Mohamed Yusuf Liban",
     "Farah Mohamed Ali Hassan Warsame Abdi"),
    (1, "Black African - Eritrean", ("Eritrean Orthodox Christian",), "Tigrinya", "Tigrinya",
     "Semhar Selam Mahlet Helen", "Yonas Filmon Biniam Daniel", "Tesfay Gebremedhin Haile Kidane"),
    (6, "Mixed - White and Black Caribbean", ("None", "Christian"), "English", "",
     "Jasmine Leah Maya Kiara Tia", "Leon Jayden Kian Reece Nathan",
     "Campbell Walsh Taylor Brown Francis Hughes"),
    (2, "Arab - Syrian", ("Muslim",), "Arabic", "Arabic (Levantine)",
     "Lina Rania Jana Sara Maya", "Omar Khaled Ahmad Yousef Karim",
     "Al-Hassan Haddad Khalil Saleh Mansour"),
    (2, "Chinese", ("None", "Buddhist"), "Mandarin", "Mandarin",
     "Mei Ling Yan Hui Xin", "Ming Wei Hao Jun Lei", "Li Wang Zhang Chen Liu"),
    (2, "White - Irish Traveller", ("Roman Catholic",), "English", "",
     "Bridget Mary Siobhán Kathleen", "Patrick John Michael Martin",
     "O'Connor Ward McDonagh Joyce Maughan"),
    (2, "Asian - Afghan", ("Muslim",), "Dari", "Dari",
     "Mariam Zahra Parisa Shabnam", "Ali Ahmad Mustafa Javid", "Rahimi Haidari Ahmadi Karimi"),
    (1, "Asian - Vietnamese", ("Buddhist",), "Vietnamese", "Vietnamese",
     "Lan Linh Mai Thảo", "Minh Huy Nam Đức", "Nguyễn Trần Lê Phạm"),
)
_BG_WEIGHTS = [b[0] for b in _BACKGROUNDS]

_BULK_RISKS = {
    "child_protection": ("Neglect of basic care", "Exposure to domestic abuse",
                         "Parental substance misuse", "Parental mental ill-health",
                         "Physical harm", "Emotional harm", "Child sexual exploitation",
                         "Criminal exploitation (county lines)", "Going missing",
                         "Poor school attendance"),
    "child_in_need": ("Excessive young carer responsibilities", "Overcrowded housing",
                      "Poor school attendance", "Social isolation", "Unmet health needs",
                      "Parental mental ill-health", "Poor emotional wellbeing"),
    "looked_after": ("Placement breakdown", "Distress around family time", "Going missing",
                     "Unmet identity needs", "Poor emotional wellbeing"),
    "private_fostering": ("Unassessed private fostering arrangement",
                          "Uncertain immigration status"),
}
_BULK_DISABILITY = ("None known",) * 16 + (
    "Autism (diagnosed); needs warning of changes", "ADHD (diagnosed; takes medication)",
    "Speech and language delay", "Type 1 diabetes", "Moderate learning disability",
    "Cerebral palsy; uses a wheelchair")
_FAITH_NEEDS = {
    "Muslim": ("{name} is Muslim and eats halal food; {he} goes to Qur'an classes at the mosque.",
               "School provides halal meals and {carer} takes {him} to classes."),
    "Roman Catholic": ("{name} is Catholic and goes to Mass with {his} family.",
                       "{carer} takes {him} to church on Sundays."),
    "Hindu": ("{name} is Hindu and vegetarian, and goes to the temple with {his} grandparents.",
              "Vegetarian meals at school; temple visits with grandparents continue."),
    "Sikh": ("{name} is Sikh; {his} family go to the gurdwara.",
             "{carer} takes {him} to the gurdwara at weekends."),
}
_FAILED = (
    "Unannounced visit. Nobody answered the door although the television could be heard; "
    "the curtains were drawn.",
    "Announced visit. The family were not at home at the agreed time and did not answer "
    "their phones.",
)
_RETURN_COMMENTS = (
    "Please add what school said, with the date you spoke to them, and rate each risk with "
    "the evidence for your rating.",
    "The analysis repeats the observations: please say what they mean for the child's safety.",
    "Please quote the child's own words rather than summarising them.",
)


def _bulk_kid(rng: random.Random, ref: str, plan: str, dob: date, today: date,
              worker: str) -> _Kid:
    bg = rng.choices(_BACKGROUNDS, weights=_BG_WEIGHTS)[0]
    _, ethnicity, religions, language, interp_lang, girls, boys, surnames = bg
    sex = rng.choice("fm")
    first = rng.choice((girls if sex == "f" else boys).split())
    surname = rng.choice(surnames.split())
    religion = rng.choice(religions)
    years = age_on(dob, today)
    mother = f"{rng.choice(girls.split())} {surname}"
    interp = "parent" if interp_lang and rng.random() < 0.4 else ""
    if plan in ("looked_after", "private_fostering"):
        fc_bg = rng.choices(_BACKGROUNDS, weights=_BG_WEIGHTS)[0]
        fc_surname = rng.choice(fc_bg[7].split())
        role = "foster carer" if plan == "looked_after" else "private foster carer (family friend)"
        household = ((f"{rng.choice(fc_bg[5].split())} {fc_surname}", role),)
        carer = f"Mrs {fc_surname}"
        different = "yes" if fc_bg[1] != ethnicity else "no"
        if interp and plan == "looked_after":
            interp = "child" if years >= 8 else ""
    else:
        household = ((mother, "mother"),)
        carer = f"Ms {surname}"
        different = "na"
    absent = ((f"{rng.choice(boys.split())} {surname}", "father (expected)"),) \
        if rng.random() < 0.4 else ()
    faith = _FAITH_NEEDS.get(religion.split(" (")[0])
    lang_note = (f" {{His}} family speak {language.split(' and ')[-1]} at home."
                 if language != "English" else "")
    needs = (faith[0] if faith else
             "{name}'s friendships and hobbies matter most to {him}.") + lang_note
    how_met = faith[1] if faith else "{carer} supports {his} clubs and friendships."
    years_band = "school" if years >= 11 else ("primary" if years >= 4 else "nursery")
    school = {"school": "Northgate High School", "primary": "Riverside Primary School",
              "nursery": "Little Acorns Nursery"}[years_band]
    kid = _Kid(ref=ref, name=f"{first} {surname}", known_as=first, sex=sex, age=(years, 0),
               ethnicity=ethnicity, religion=religion, language=language, plan=plan,
               plan_start=0, risks=tuple(rng.sample(_BULK_RISKS[plan], 2)),
               worker=worker, household=household, absent=absent, carer=carer,
               interpreter_for=interp, interpreter_language=interp_lang if interp else "",
               disability=rng.choice(_BULK_DISABILITY), carers_different=different,
               carers_meet_needs="The carers have asked the family about food, faith and hair "
                                 "and skin care, and keep up {name}'s links with {his} community.",
               school=school)
    fill = dict(_pronouns(sex), name=first, carer=carer)
    return replace(kid, needs=needs.format_map(fill), how_met=how_met.format_map(fill),
                   carers_meet_needs=kid.carers_meet_needs.format_map(fill))


_TOOLS_BY_AGE = {
    "young": ("three_houses",),
    "child": ("three_houses", "signs_of_safety", "my_star"),
    "teen": ("mind_of_my_own", "signs_of_safety", "my_star"),
}


def _bulk_scenario(rng: random.Random, kid: _Kid, years: int) -> tuple[str, str, str, str]:
    """What happened on a bulk visit: (seen, why not alone, bedroom, interpreter)."""
    r = rng.random()
    if r < 0.03:
        return ("not_seen", "", "", "")
    seen, why = "alone", ""
    if years < 4:
        seen, why = "not_alone", "inappropriate"
    elif r < 0.12:
        seen, why = "not_alone", "refused" if years >= 12 else "other"
    bedroom = "no" if r > 0.96 else ""
    interpreter = "family" if kid.interpreter_for and rng.random() < 0.03 else ""
    return (seen, why, bedroom, interpreter)


def _scenario_spec(rng: random.Random, scenario: tuple[str, str, str, str], kid: _Kid,
                   years: int, joint: str) -> _Spec:
    """The spec of a bulk visit for ``kid`` (tokens in a prototype, or a real child)."""
    seen, why, bedroom, interpreter = scenario
    spec = _Spec(kid.ref, 0, "signed", joint=joint)
    if seen == "not_seen":
        spec.seen = "not_seen"
        spec.announced = "unannounced"
        spec.failed = {
            "what": rng.choice(_FAILED), "next_days": 1,
            "attempts": ["phone", "neighbours", "school"],
            "action": ["manager_informed", "revisit_booked"],
            "views": f"School said {kid.known_as} has seemed settled in class this week; "
                     "nobody has reported any new worries.",
            "observed": "I could not get into the house. From the street it looked lived in; "
                        "the bins had been put out.",
        }
        return spec
    spec.seen, spec.not_alone = seen, why or "inappropriate"
    if why in ("refused", "other"):
        spec.not_alone_detail = f"{kid.known_as} wanted {kid.carer} to stay in the room."
    if bedroom == "no":
        spec.bedroom, spec.bedroom_reason = "no", "The family said the room was being decorated."
    if interpreter == "family":
        spec.interpreter = "family"
        spec.family_interpreter = kid.household[0][0].split()[0] + " (older cousin)"
        spec.reasons = {"identity.interpreter_not_professional":
                        "The booked interpreter did not come; a family member interpreted "
                        "practical arrangements only. Professional interpreter rebooked."}
    if years >= 4:
        spec.tool = rng.choice(("", "", "", *_TOOLS_BY_AGE["young" if years < 8 else
                                                        "child" if years < 13 else "teen"]))
    spec.trend = rng.choice(("", "", "reduced", "unchanged"))
    spec.announced = rng.choice(("announced", "announced", "unannounced"))
    return spec


# -- bulk prototypes ------------------------------------------------------------------------
#
# Composing and serialising every bulk record would cost about half a millisecond each. So a
# few records are composed per class of visit (plan, age band, sex, interpreter, what
# happened) for a child made of tokens and serialised once, as ``str.format_map`` templates;
# each real record takes each of its sections from one of its class's prototypes (analysis
# and oversight note from the same one) and fills in names, dates, and the child's own
# identity, present and absent JSON. The joint worker, "nobody absent" and the answers to the
# record's flags are added per record. Bulk text is therefore less tailored to a child's
# particular risks than the demo's; every record still passes validation and every
# signature holds the SHA-256 of exactly what was signed.

_SENTINEL_DAY = date(2000, 1, 3)                # a prototype's visit day (a Monday)
_BAND_AGE = {"infant": (1, 0), "toddler": (3, 0), "young": (6, 0), "child": (10, 0),
             "teen": (15, 0)}
_PROTOTYPES_PER_CLASS = 4
_PROTOTYPES: dict[tuple, list[tuple]] = {}      # per process: (seed, class) -> prototypes
_TOKEN = re.compile(r'"\\u0002(\w+)\\u0002"|\\u0001(\w+)\\u0001|2000-01-(\d\d)')


def _tok(name: str) -> str:
    return _T1 + name + _T1


def _prototypes(seed: int, key: tuple, region: str) -> list[tuple]:
    """The prototypes of one class of visit, (plan, age band, sex, interpreter, scenario):
    [(section JSON by key, note JSON, reasons, visit type, flag codes by unqualified author)].
    """
    cached = _PROTOTYPES.get((seed, key))
    if cached is not None:
        return cached
    plan, band, sex, interpreter_for, scenario = key
    rng = random.Random(f"{seed}|prototype|{key}")
    years = _BAND_AGE[band][0]
    dob = _SENTINEL_DAY - relativedelta(years=years, months=2)
    kid = _Kid(ref="", name=_tok("child"), known_as=_tok("name"), sex=sex, age=(years, 0),
               ethnicity="", religion="", language="", plan=plan, plan_start=0,
               risks=(_tok("R1"), _tok("R2")), worker="",
               household=((_tok("carer"), "carer"),), absent=((_tok("child"), "absent"),),
               carer=_tok("carer"), interpreter_for=interpreter_for,
               interpreter_language="Polish" if interpreter_for else "", school=_tok("school"))
    w = _Writer(rng, long=True, pool=8, pool_seed=str(seed))
    wd = working_days_for(region)
    out = []
    for _ in range(_PROTOTYPES_PER_CLASS):
        spec = _scenario_spec(rng, scenario, kid, years, "")
        at = datetime.combine(_SENTINEL_DAY, time(rng.choice((9, 10, 11, 13, 14, 15)),
                                                  rng.choice((0, 15, 30, 45))))
        content = _compose(w, kid, dob, spec, at, _tok("author"), rng)
        flags = {unq: tuple(f.code for f in visit_flags(
                     content, author_needs_countersign=unq, query_reasons=spec.reasons,
                     recorded_late=False)) for unq in (False, True)}
        note = signing.oversight_of(_note(rng, kid, spec, (), content["analysis"]["risks"],
                                       _SENTINEL_DAY, _tok("author"), "", wd,
                                       review_tokens=True))
        content["details"]["present"] = _T2 + "present" + _T2
        content["details"]["absent"] = _T2 + "absent" + _T2
        content["identity"] = _T2 + "identity" + _T2
        out.append(({k: _template(_canon(v)) for k, v in content.items()},
                    _template(_canon(note)), spec.reasons, content["details"]["visit_type"],
                    flags))
    _PROTOTYPES[(seed, key)] = out
    return out


def _template(json_text: str) -> str:
    """A prototype's JSON as a ``str.format_map`` template: its literal braces doubled, each
    token a field, each date a field ``d<days after the visit>``."""
    def field(m: re.Match) -> str:
        if m.group(3):
            days = int(m.group(3)) - _SENTINEL_DAY.day
            if days not in _DATE_FIELDS:  # a phrase list was given a longer deadline
                raise ValueError(f"a bulk prototype's date is {days} days after its visit")
            return "{d%d}" % days
        return "{" + (m.group(1) or m.group(2)) + "}"
    return _TOKEN.sub(field, json_text.replace("{", "{{").replace("}", "}}"))


_DATE_FIELDS = range(0, 16)   # prototypes' dates fall within a fortnight of the visit


def _json_text(value: str) -> str:
    """``value`` as it appears inside a JSON string."""
    return _canon(value)[1:-1]


def populate_bulk(svc: Services, *, children: int, visits_per_child: int, teams: int = 1,
                  seed: int = 2026, workers: int | None = None,
                  busiest_child_visits: int = 0) -> BulkResult:
    """A big store for benchmarks: ``children`` children with ``visits_per_child`` visits each
    (and, with ``busiest_child_visits``, one child more with that many visits and a case-level
    oversight note after every tenth signed-off one).

    Teams of one manager and eight workers (six registered, a student and one awaiting
    registration); children are shared out across the teams. Each child's visits are spaced
    back from today at the plan's visiting interval, the older ones signed off and the newest
    in any state (mostly signed off). The text comes from the same phrase lists as
    ``populate``'s, longer, through per-class prototypes (see "bulk prototypes" below).

    Rows go in with Core ``insert()`` executemany in batches of ``BATCH`` rows, in a few
    transactions (a new one every ``_VISITS_PER_TRANSACTION`` visits), with a single audit
    event summarising the load. Big loads make their rows in ``workers`` forked processes
    (default: one per CPU) while this process inserts; the store is the same either way.
    Refuses a store that is not empty. A failure part-way leaves the transactions already
    committed in place: start again on a new store.
    """
    from recorder.services.errors import InvalidInput

    if children < 0 or visits_per_child < 0 or teams < 1 or busiest_child_visits < 0:
        raise InvalidInput("Give a number of children and of visits (0 or more) and at least "
                           "one team.")
    started = _time.perf_counter()
    with svc.reading() as s:
        _refuse_non_empty(lambda model: s.scalar(select(func.count()).select_from(model)))
    policy = svc.policy
    today = svc.today()
    wd = working_days_for(policy.bank_holiday_region)
    span = max(_CADENCE.values()) * (max(visits_per_child, busiest_child_visits) + 2) + 40
    wdays = [today]
    while len(wdays) <= span:
        wdays.append(wd.add_working_days(wdays[-1], -1))
    sqlite = svc.engine.dialect.name == "sqlite"
    # Every bulk account shares one argon2 hash of BULK_PASSWORD: hashing one per account
    # would take minutes on a big load and tell a benchmark nothing.
    password_hash = accounts.hasher(svc).hash(BULK_PASSWORD)
    rng = random.Random(f"{seed}|staff")
    created = _utc(datetime.combine(wdays[-1], time(9, 0)))
    team_rows, worker_rows, staff = _bulk_staff(rng, teams, password_hash, created,
                                                today - timedelta(days=30))
    eng = writer(svc.engine)
    with eng.begin() as conn:
        # again, under the write lock: two loads at once cannot both pass
        _refuse_non_empty(lambda model: conn.scalar(select(func.count()).select_from(model)))
        _insert(conn, Team, team_rows)
        _insert(conn, Worker, worker_rows)

    per_job = max(1, BATCH // max(visits_per_child, 1))
    jobs = [_Job(index=i, first_child=first, children=min(per_job, children - first + 1),
                 visits_per_child=visits_per_child, seed=seed, staff=staff, policy=policy,
                 wdays=tuple(wdays), sqlite=sqlite, created=created)
            for i, first in enumerate(range(1, children + 1, per_job))]
    if busiest_child_visits:
        jobs.append(_Job(index=len(jobs), first_child=children + 1, children=1,
                         visits_per_child=busiest_child_visits, seed=seed, staff=staff,
                         policy=policy, wdays=tuple(wdays), sqlite=sqlite, created=created,
                         first_visit_id=children * visits_per_child, case_note_every=10,
                         case_note_base=children * visits_per_child + busiest_child_visits))
    if workers is None:
        big = children * visits_per_child + busiest_child_visits >= 2 * BATCH
        workers = (os.cpu_count() or 1) if big else 1
    made = _job_results(jobs, workers)
    # the first batch (and any worker processes) before a write transaction is open
    results = itertools.chain([next(made)] if jobs else [], made)
    total = 0
    finished = False
    try:
        svc.engine.dispose()  # no other connection of ours holds the store open
        with eng.connect() as conn, _bulk_mode(svc, conn):
            while not finished:
                with conn.begin():
                    in_transaction = 0
                    for rows, n in results:
                        _flush(conn, rows)
                        total += n
                        in_transaction += n
                        if in_transaction >= _VISITS_PER_TRANSACTION:
                            break
                    else:
                        finished = True
                        audit_chain.append(
                            conn, at=svc.now(), actor_id=1, action="bulk_load", entity="store",
                            entity_id=None, outcome="ok",
                            detail=f"teams={teams} workers={len(worker_rows)} "
                                   f"children={children} visits={total}")
                        if conn.dialect.name == "postgresql":  # explicit ids: move sequences on
                            for model in (Team, Worker, *(m for _, m in _FLUSH_ORDER)):
                                name = model.__tablename__
                                conn.execute(text(
                                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                    f"(SELECT max(id) FROM {name}))"))
    finally:
        made.close()  # on a failure: cancel the jobs not started, let the workers stop
        _PROTOTYPES.clear()
        _SHARED_POOLS.clear()
    return BulkResult(children=children + (1 if busiest_child_visits else 0), visits=total,
                      seconds=round(_time.perf_counter() - started, 3))


@contextmanager
def _bulk_mode(svc: Services, conn):
    """While a bulk load fills a new, empty store (populate_bulk refuses any other).

    The non-unique secondary indexes of the loaded tables are dropped and built again at the
    end (one sort each instead of a random insert per row), in ``finally``, so a failed load
    leaves them in place too. SQLite, on the loading connection only: no fsync per commit, a
    rollback journal in memory instead of the WAL (when no other connection has the store
    open) and a 256 MiB page cache; all put back after. Losing power part-way can lose the
    load (never a record: the store was empty); start it again on a new store.
    """
    tables = [m.__tablename__ for _, m in _FLUSH_ORDER]
    sqlite = conn.dialect.name == "sqlite"
    raw = conn.connection.dbapi_connection
    if sqlite:
        cur = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ("
            + ",".join("?" * len(tables)) + ")", tables)
        indexes = [(name, sql) for name, sql in cur.fetchall()]
    else:
        cur = raw.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexdef NOT LIKE 'CREATE UNIQUE%%' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)", (tables,))
        indexes = [(name, sql) for name, sql in cur.fetchall()]
        raw.commit()
    for name, _ in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    if sqlite:
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-262144")
        wal = raw.execute("PRAGMA journal_mode=MEMORY").fetchone()[0] != "memory"
    else:
        raw.commit()
    try:
        yield
    finally:
        if not sqlite:
            raw.rollback()  # after a failure part-way; a no-op after the last commit
        for _, sql in indexes:
            raw.execute(sql)
        if sqlite:
            if not wal:
                raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA cache_size=-2000")
            raw.execute("PRAGMA synchronous=FULL")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            raw.commit()


def _bulk_staff(rng: random.Random, teams: int, password_hash: str, created: datetime,
                checked: date):
    """Teams, their workers (an administrator first), and per team who is who."""
    team_rows: list[dict[str, Any]] = []
    worker_rows: list[dict[str, Any]] = []

    def worker(**row) -> dict[str, Any]:
        row = {"unqualified_kind": None, "registration_number": None,
               "registration_checked_on": None, "team_id": None, "failed_signins": 0,
               "signin_blocked_until": None, "locked": False, "active": True,
               "password_hash": password_hash, "created_at": created,
               "id": len(worker_rows) + 1, **row}
        worker_rows.append(row)
        return row

    worker(username="admin", full_name="Bulk Administrator", role=Role.ADMINISTRATOR.value)
    staff = []
    for t in range(1, teams + 1):
        team_rows.append({"id": t, "name": f"Bulk team {t:03d}", "created_at": created})
        members: dict[str, Any] = {"manager": None, "registered": [], "unqualified": []}
        for i in range(9):
            bg = rng.choices(_BACKGROUNDS, weights=_BG_WEIGHTS)[0]
            full = f"{rng.choice((bg[5] + ' ' + bg[6]).split())} {rng.choice(bg[7].split())}"
            kind = None if i <= 6 else ("student" if i == 7 else "awaiting_registration")
            role = (Role.TEAM_MANAGER if i == 0 else
                    Role.SOCIAL_WORKER if kind is None else Role.UNQUALIFIED).value
            user = (f"team{t:03d}.manager" if i == 0 else f"team{t:03d}.sw{i}" if kind is None
                    else f"team{t:03d}.{kind.split('_')[0]}")
            number = f"SW{300000 + len(worker_rows) + 1}" if kind is None else None
            row = worker(username=user, full_name=full, role=role, unqualified_kind=kind,
                         registration_number=number,
                         registration_checked_on=checked if number else None, team_id=t)
            person = {k: row[k] for k in ("id", "username", "full_name", "role",
                                           "registration_number", "team_id")}
            if i == 0:
                members["manager"] = person
            else:
                members["registered" if kind is None else "unqualified"].append(person)
        staff.append(members)
    return team_rows, worker_rows, tuple(staff)


@dataclass(frozen=True)
class _Job:
    """A run of children and all their visits, made in one piece (perhaps in a worker)."""

    index: int
    first_child: int         # the id of its first child; visit and section ids follow from it
    children: int
    visits_per_child: int
    seed: int
    staff: tuple
    policy: Any
    wdays: tuple[date, ...]  # wdays[n]: n working days before today
    sqlite: bool
    created: datetime
    first_visit_id: int | None = None  # ids follow this one (default: from first_child)
    case_note_every: int = 0           # a case-level oversight note after every Nth visit
    case_note_base: int = 0            # their ids follow this one (their signatures 2x it)


def _job_results(jobs: list[_Job], workers: int):
    """Each job's (rows, visits), in job order.

    With several workers (on Linux, where processes fork), the first job is made here, which
    fills this process's prototype caches, and the rest by forked worker processes that start
    with those caches, a few jobs in flight at a time so memory stays bounded. The workers
    never touch the database connections they inherit.
    """
    import multiprocessing

    if workers <= 1 or len(jobs) <= 1 or not sys.platform.startswith("linux"):
        for job in jobs:
            yield _make_job(job)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    first = _make_job(jobs[0])
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("fork")) as pool:
        waiting = iter(jobs[1:])
        # range first: zip stops on it without taking (and dropping) one more job
        in_flight = deque(pool.submit(_make_job, job)
                          for _, job in zip(range(2 * workers), waiting))
        try:
            yield first
            while in_flight:
                result = in_flight.popleft().result()
                job = next(waiting, None)
                if job is not None:
                    in_flight.append(pool.submit(_make_job, job))
                yield result
        finally:
            for future in in_flight:
                future.cancel()


_SECTION_KEYS = ("details", "seen", "voice", "identity", "observations", "analysis", "actions")


def _make_job(job: _Job) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """The rows of one job's children and visits, already in storage form."""
    from recorder.domain import timescales

    rng = random.Random(f"{job.seed}|job|{job.index}")
    policy, wdays, sqlite = job.policy, job.wdays, job.sqlite
    region = policy.bank_holiday_region
    today = wdays[0]
    span = len(wdays) - 1
    moments: dict[tuple[date, int, int], Any] = {}
    due: dict[date, tuple[Any, Any]] = {}
    date_fields: dict[date, dict[str, str]] = {}

    def ts(value: datetime | None):
        if value is None or not sqlite:
            return value
        return value.isoformat(" ", "microseconds")[:26]  # SQLAlchemy's SQLite format

    def day(value: date | None):
        return value.isoformat() if (value is not None and sqlite) else value

    def at(d: date, hh: int, mm: int):
        key = (d, hh, mm)
        if key not in moments:
            moments[key] = ts(_utc(datetime.combine(d, time(hh, mm))))
        return moments[key]

    first_visit = job.first_visit_id
    # a visit's rows take ids from its own: countersign, oversight note and return comment
    # the visit's id, its signatures 2 * id - 1 (countersign) and 2 * id (sign-off)
    ids = {"visit": (job.first_child - 1) * job.visits_per_child if first_visit is None
           else first_visit, "signature": 0, "case_note": 0,
           "countersign": 0, "note": 0, "return": 0}
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "child", "visit", "section", "signature", "countersign", "note", "return")}
    plans = ("child_protection", "child_in_need", "looked_after", "private_fostering")
    created = ts(job.created)
    for c in range(job.first_child, job.first_child + job.children):
        # -- the child
        members = job.staff[(c - 1) % len(job.staff)]
        plan = rng.choices(plans, weights=(35, 35, 25, 5))[0]
        # at most ten years of visits: many visits come more often than the plan's minimum
        every = min(_CADENCE[plan], max(1, _HISTORY_WORKING_DAYS // max(job.visits_per_child, 1)))
        overdue = 15 if rng.random() < 0.05 else 0
        first_wd = min(every * job.visits_per_child + rng.randint(1, every) + overdue, span)
        plan_start = wdays[min(first_wd + rng.randint(1, 10), span)]
        latest_dob = min(wdays[first_wd] - timedelta(days=30), today - timedelta(days=40))
        dob = max(latest_dob - timedelta(days=rng.randint(0, 17 * 365)),
                  today - timedelta(days=17 * 365 + 300))
        dob = min(dob, latest_dob)
        plan_start = max(plan_start, dob)
        holder = members["manager"] if rng.random() < 0.03 else rng.choice(
            members["registered"] + members["unqualified"])
        kid = _bulk_kid(rng, f"BK-{c:07d}", plan, dob, today, holder["username"])
        long_term = plan == "looked_after" and rng.random() < 0.5
        author = holder if holder is not members["manager"] else rng.choice(members["registered"])
        rows["child"].append(dict(
            id=c, reference=kid.ref, full_name=kid.name, date_of_birth=day(dob),
            ethnicity=kid.ethnicity, religion=kid.religion, first_language=kid.language,
            interpreter_needed=bool(kid.interpreter_for), disability=kid.disability,
            plan_type=plan, plan_start=day(plan_start), placement_long_term=long_term,
            plan_risks=_canon(list(kid.risks)), team_id=members["manager"]["team_id"],
            allocated_worker_id=holder["id"], created_at=created))
        unqualified = author["role"] == Role.UNQUALIFIED.value
        manager = members["manager"]
        kid_values = {"name": _json_text(kid.known_as), "child": _json_text(kid.name),
                      "carer": _json_text(kid.carer), "school": _json_text(kid.school),
                      "author": _json_text(author["full_name"])}
        for i, risk in enumerate(kid.risks, start=1):
            kid_values[f"R{i}"] = _json_text(risk)
            kid_values[f"lower_R{i}"] = _json_text(_lower_first(risk))
        people: dict[tuple, str] = {}   # this child's identity/present/absent JSON
        # -- its visits, oldest first
        for n in range(job.visits_per_child):
            last = n == job.visits_per_child - 1
            wd_ago = max(first_wd - n * every - rng.randint(0, 2), 1)
            end = "signed"
            if last:
                r = rng.random()
                end = ("signed" if r < 0.72 else "oversight" if r < 0.82 else
                       ("countersign" if unqualified else "oversight") if r < 0.87 else
                       "draft" if r < 0.92 else "partial" if r < 0.95 else "returned")
            if end in ("signed", "returned", "oversight") and wd_ago < 4:
                wd_ago = 4
            countersigner = rng.choice(members["registered"]) if unqualified else None
            joint = countersigner["full_name"] if unqualified and rng.random() < 0.5 else ""
            visit_day = wdays[wd_ago]
            years = age_on(dob, visit_day)
            scenario = _bulk_scenario(rng, kid, years)
            key = (kid.plan, _band(years), kid.sex, kid.interpreter_for, scenario)
            protos = _prototypes(job.seed, key, region)
            # the child's own parts of the record
            pkey = (scenario, joint)
            if pkey not in people:
                spec = _Spec(kid.ref, 0, "signed", seen=scenario[0], joint=joint,
                             interpreter=scenario[3],
                             family_interpreter=kid.household[0][0].split()[0] + " (older cousin)")
                interp = spec.interpreter or ("pro" if kid.interpreter_for else "")
                lang = kid.interpreter_language
                present, absent = _people(kid, spec, interp)
                people[pkey] = (_canon(present), _canon(absent), _canon(_identity(
                    kid, spec, interp, lang, *_INTERPRETERS.get(lang, ("", "")))))
            present_json, absent_json, identity_json = people[pkey]
            review = _review_day(region, visit_day, rng.choice((8, 10, 12)))
            if visit_day not in date_fields:
                date_fields[visit_day] = {f"d{k}": (visit_day + timedelta(days=k)).isoformat()
                                          for k in _DATE_FIELDS}
            values = {**kid_values, **date_fields[visit_day],
                      "present": present_json, "absent": absent_json,
                      "identity": identity_json, "joint": _json_text(joint),
                      "cs": _json_text(countersigner["full_name"] if countersigner else ""),
                      "review_iso": review.isoformat(),
                      "review_text": f"{review.day} {review:%B %Y}"}
            # each section from one of the class's prototypes (analysis and note together)
            picks = [rng.randrange(len(protos)) for _ in _SECTION_KEYS]
            section_json = {k: protos[i][0][k].format_map(values)
                            for k, i in zip(_SECTION_KEYS, picks)}
            note_proto = protos[picks[5]][1]
            reasons, visit_type, flag_codes = protos[0][2], protos[0][3], protos[0][4][unqualified]
            details = section_json["details"]
            if absent_json == "[]":  # nobody expected was absent: say so instead
                details = details.replace('"absent":[],', "", 1).replace(
                    ',"present":', ',"none_absent":"yes","present":', 1)
            if joint:  # keys are sorted: joint_worker comes before location
                details = details.replace(',"location":',
                                          f',"joint_worker":"{values["joint"]}","location":', 1)
            section_json["details"] = details
            visit_at = datetime.fromisoformat(details[details.index('"visit_at":"') + 12:][:16])
            ids["visit"] += 1
            vid = ids["visit"]
            saved = at(visit_day, visit_at.hour + 2, 0)
            visit = dict(id=vid, child_id=c, author_id=author["id"], team_id=author["team_id"],
                         state="draft", version=8, visit_type=visit_type,
                         visit_at=ts(visit_at), joint_worker_id=None, counts_as_statutory=False,
                         query_reasons="{}", created_at=at(visit_day, visit_at.hour + 1, 30),
                         updated_at=saved, submitted_at=None, first_submitted_at=None,
                         countersign_due=None, oversight_due=None, signed_off_at=None)
            rows["visit"].append(visit)
            keep = ("details", "seen", "identity") if end == "partial" else _SECTION_KEYS
            for i, section in enumerate(_SECTION_KEYS, start=1):
                rows["section"].append(dict(
                    id=(vid - 1) * 7 + i, visit_id=vid, section=section,
                    data=section_json[section] if section in keep else "{}", updated_at=saved))
            if end in ("draft", "partial"):
                continue
            # -- submitted
            content_json = signing.sections_json(section_json)
            submit_day = wdays[wd_ago - 1]
            if submit_day not in due:
                due[submit_day] = (day(timescales.countersign_due(submit_day, policy)),
                                   day(timescales.oversight_due(submit_day, policy)))
            submitted = at(submit_day, 10, 5)
            visit.update(state="awaiting_oversight", version=9, submitted_at=submitted,
                         first_submitted_at=submitted,
                         oversight_due=due[submit_day][1], query_reasons=_canon(reasons),
                         updated_at=submitted, counts_as_statutory=not unqualified or bool(joint),
                         joint_worker_id=countersigner["id"] if joint else None)
            countersigns = []
            if unqualified:
                visit.update(state="awaiting_countersign", countersign_due=due[submit_day][0])
                if end == "countersign":
                    continue
                when = at(wdays[max(wd_ago - 2, 1)], 11, 20)
                comment = rng.choice(_COUNTERSIGN_COMMENTS).replace("{name}", kid.known_as)
                sig = _signature(2 * vid - 1, rows, vid, c, countersigner, "Social worker", when,
                                 signing.COUNTERSIGN_MEANING, signing.countersign_payload(
                                     vid, 9, content_json, reasons, comment))
                rows["countersign"].append(dict(
                    id=vid, visit_id=vid, worker_id=countersigner["id"],
                    comment=comment, signature_id=sig, created_at=when))
                countersigns = [(countersigner["id"], comment)]
                visit.update(state="awaiting_oversight", version=10, updated_at=when)
            if end == "oversight":
                continue
            when = at(wdays[max(wd_ago - 3, 1)], 15, 0)
            if end == "returned":
                rows["return"].append(dict(
                    id=vid, visit_id=vid, worker_id=manager["id"],
                    from_state="awaiting_oversight", comment=rng.choice(_RETURN_COMMENTS),
                    created_at=when))
                visit.update(state="draft", version=visit["version"] + 1, updated_at=when,
                             submitted_at=None, countersign_due=None, oversight_due=None)
                continue
            # -- signed off
            note = json.loads(note_proto.format_map(values))
            note["flag_responses"] = {code: _flag_response(
                code, kid, _Spec(kid.ref, 0, end, not_alone=scenario[1] or "inappropriate",
                                 joint=joint), author["full_name"],
                countersigner["full_name"] if countersigner else "") for code in flag_codes}
            note = signing.oversight(**note)
            version = visit["version"]
            sig = _signature(2 * vid, rows, vid, c, manager, "Team manager", when,
                             signing.OVERSIGHT_MEANING, signing.sign_off_payload(
                                 vid, version, content_json, reasons, countersigns, note))
            rows["note"].append(dict(
                id=vid, child_id=c, visit_id=vid, manager_id=manager["id"],
                signature_id=sig, created_at=when, decision=note["decision"],
                analysis=note["analysis"], risk=note["risk"], actions=_canon(note["actions"]),
                timeframe=note["timeframe"], child_voice=note["child_voice"],
                flag_responses=_canon(note["flag_responses"])))
            visit.update(state="signed_off", version=version + 1, signed_off_at=when,
                         updated_at=when)
            if job.case_note_every and n % job.case_note_every == job.case_note_every - 1:
                # a case-level oversight note between supervisions (as add_case_note signs it)
                ids["case_note"] += 1
                case = signing.oversight(**{**note, "flag_responses": {}})
                case_when = at(wdays[max(wd_ago - 5, 1)], 16, 30)
                nid = job.case_note_base + ids["case_note"]
                sig = _signature(job.case_note_base * 2 + ids["case_note"], rows, None, c,
                                 manager, "Team manager", case_when, signing.OVERSIGHT_MEANING,
                                 signing.case_note_payload(c, case))
                rows["note"].append(dict(
                    id=nid, child_id=c, visit_id=None, manager_id=manager["id"],
                    signature_id=sig, created_at=case_when, decision=case["decision"],
                    analysis=case["analysis"], risk=case["risk"],
                    actions=_canon(case["actions"]), timeframe=case["timeframe"],
                    child_voice=case["child_voice"], flag_responses="{}"))
    # as tuples in column order: less to send back from a worker, nothing to do in the loader
    return ({key: list(map(_columns(model), rows[key])) for key, model in _FLUSH_ORDER},
            job.children * job.visits_per_child)


_canon = signing.canonical   # JSON columns are stored as this text


def _signature(sig_id: int, rows, visit_id: int, child_id: int, signer: dict, role_label: str,
               when, meaning: str, payload: signing.Payload) -> int:
    """A signature row: ``payload`` signed by ``signer`` (built by ``domain.signing``, as the
    services' signatures are)."""
    rows["signature"].append(dict(
        id=sig_id, visit_id=visit_id, child_id=child_id, signer_id=signer["id"],
        signer_name=signer["full_name"], signer_role=role_label,
        registration_number=signer["registration_number"], signed_at=when, meaning=meaning,
        content_sha256=payload.digest()))
    return sig_id


_FLUSH_ORDER = (("child", Child), ("visit", Visit), ("section", VisitSection),
                ("signature", Signature), ("countersign", Countersign), ("note", OversightNote),
                ("return", ReturnComment))


def _columns(model):
    """A row dict -> a tuple of the table's columns, in order."""
    return itemgetter(*(c.name for c in model.__table__.columns))


def _flush(conn, rows: dict[str, list[tuple]]) -> None:
    """Insert a job's rows, parents first.

    The rows are tuples in column order already in the form the database stores (SQLAlchemy's
    own formats on SQLite, JSON as text), so they go to the driver as they are: SQLite's
    executemany ``BATCH`` at a time, PostgreSQL's COPY.
    """
    if conn.dialect.name == "postgresql":
        _copy(conn, rows)
        return
    for key, model in _FLUSH_ORDER:
        items = rows[key]
        if not items:
            continue
        names = [c.name for c in model.__table__.columns]
        sql = (f'INSERT INTO "{model.__tablename__}" ({", ".join(names)}) '
               f'VALUES ({", ".join("?" * len(names))})')
        for i in range(0, len(items), BATCH):
            conn.exec_driver_sql(sql, items[i:i + BATCH])


def _copy(conn, rows: dict[str, list[tuple]]) -> None:
    """PostgreSQL: each table's rows through ``COPY ... FROM STDIN`` (psycopg's copy, in the
    transaction SQLAlchemy has open), parents first."""
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur:
        for key, model in _FLUSH_ORDER:
            items = rows[key]
            if not items:
                continue
            cols = ", ".join(f'"{c.name}"' for c in model.__table__.columns)
            with cur.copy(f'COPY "{model.__tablename__}" ({cols}) FROM STDIN') as copy:
                for item in items:
                    copy.write_row(item)


def _insert(conn, model, items: list[dict[str, Any]]) -> None:
    """Rows with Python values (teams, workers): SQLAlchemy converts them."""
    for i in range(0, len(items), BATCH):
        conn.execute(insert(model.__table__), items[i:i + BATCH])
