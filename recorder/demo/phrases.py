"""The phrase lists the demo's records are composed from (``recorder.demo.writer``
composes them; ``recorder.demo.record`` puts a record together).

Kept as Python literals rather than data files: an entry carries the context it fits
("needs" words), topics are nested tuples, and the bulk loader's prototypes depend on their
exact order, so a literal is the simplest form that cannot drift when loaded.
"""

from __future__ import annotations

from typing import Any

# An entry is a template, or (template, "needs"): it is used only when the visit's context
# holds every word of "needs" ("!word": only when it does not). The context is built by
# ``context_words``: the child's age band, verbal or preverbal, school or under5, the plan type,
# the location, announced or unannounced, and a tag for each kind of risk in the plan.
# Templates use {name}, {carer}, {school}, {attendance} and the pronouns {he} {him} {his}
# {He} {His} (and {him_carer} {his_carer} for the carer).

Entry = Any  # str | tuple[str, str]

# Each topic is (needs, positive variants, concerning variants); a paragraph takes one
# variant from each of several topics, so what it says never contradicts itself.
HOME_TOPICS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
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

PLACEMENT_TOPICS = (
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

SCHOOL_TOPICS = (
    ("", ("I saw {name} in a quiet room at {school}, arranged by the designated safeguarding lead.",
          "We met in the library at {school} during the lunch break, as {name} asked."), ()),
    ("", ("{name} was in school uniform, clean and tidy, and had eaten lunch.",
          "{name} looked well and was chatty from the start."),
     ("{name} looked tired and kept yawning; {his} shirt was dirty.",)),
    ("", ("Staff said {name} has settled into a friendship group this term.",),
     ("{name} sat on {his} own in the playground before I collected {him}.",)),
)

BEDROOM = {
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

OPINION: tuple[Entry, ...] = (
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

SOURCES: tuple[Entry, ...] = (
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

ANALYSIS_OPEN: tuple[Entry, ...] = (
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

ANALYSIS_CLOSE: tuple[Entry, ...] = (
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

RISK_SENTENCES = {
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

QUOTES: dict[str, tuple[tuple[str, str, str], ...]] = {  # (lead, quote, needs)
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

WISHES: dict[str, tuple[Entry, ...]] = {
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

SHAPES: tuple[Entry, ...] = (
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

PURPOSE = {
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

PURPOSE_MORE: tuple[Entry, ...] = (
    ("The last core group asked for visits to be unannounced where possible.",
     "unannounced child_protection"),
    ("I also wanted to follow up what school reported last week.", "school"),
    "To check that the actions from the last visit have been done.",
    ("To prepare {name} for the review next month and ask what {he} wants to say.", "verbal"),
    "To see how the new routine is working for {name} and {carer}.",
)

ACTION_POOL: tuple[tuple[str, str, int, str], ...] = (  # what, who, days, needs
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

TAGS = (  # risk or profile keyword -> context tag
    ("domestic", "dv"), ("substance", "substance"), ("alcohol", "substance"),
    ("mental", "mh"), ("young carer", "carer"),
    ("housing", "housing"), ("overcrowding", "housing"), ("damp", "housing"),
    ("exploitation", "exploitation"), ("missing", "exploitation"), ("attendance", "attendance"),
    ("exclusion", "attendance"), ("neglect", "neglect"), ("health", "health"),
    ("disability", "disability"),
)


COUNTERSIGN_COMMENTS = (
    "I have read the whole record against the plan. {name}'s words are quoted, the risks are "
    "rated with evidence and the actions are specific. Agreed.",
    "Checked every section: the record is accurate to what we discussed after the visit, and "
    "the analysis is proportionate. I agree with the actions.",
    "Read in full. A clear record; I have talked through the analysis with the author and "
    "agree with the judgement about risk.",
)


NOTE_PLANS = {"child_protection": "child protection plan", "child_in_need": "child in need plan",
               "looked_after": "care plan", "private_fostering": "private fostering arrangement"}
NOTE_DECISIONS = (
    "Continue the {plan} without change until the next review.",
    "Continue the {plan}; the actions in the record are agreed, with one addition below.",
    "Continue the {plan}. No escalation needed on this evidence, but I want the next visit "
    "to be unannounced.",
)
NOTE_ANALYSIS = (
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
NOTE_ACTIONS = ("Next statutory visit to {name}", "Review the safety plan with {name}'s family",
                 "Update {name}'s plan with the core group")


BULK_RISKS = {
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
BULK_DISABILITY = ("None known",) * 16 + (
    "Autism (diagnosed); needs warning of changes", "ADHD (diagnosed; takes medication)",
    "Speech and language delay", "Type 1 diabetes", "Moderate learning disability",
    "Cerebral palsy; uses a wheelchair")
FAITH_NEEDS = {
    "Muslim": ("{name} is Muslim and eats halal food; {he} goes to Qur'an classes at the mosque.",
               "School provides halal meals and {carer} takes {him} to classes."),
    "Roman Catholic": ("{name} is Catholic and goes to Mass with {his} family.",
                       "{carer} takes {him} to church on Sundays."),
    "Hindu": ("{name} is Hindu and vegetarian, and goes to the temple with {his} grandparents.",
              "Vegetarian meals at school; temple visits with grandparents continue."),
    "Sikh": ("{name} is Sikh; {his} family go to the gurdwara.",
             "{carer} takes {him} to the gurdwara at weekends."),
}
FAILED = (
    "Unannounced visit. Nobody answered the door although the television could be heard; "
    "the curtains were drawn.",
    "Announced visit. The family were not at home at the agreed time and did not answer "
    "their phones.",
)
RETURN_COMMENTS = (
    "Please add what school said, with the date you spoke to them, and rate each risk with "
    "the evidence for your rating.",
    "The analysis repeats the observations: please say what they mean for the child's safety.",
    "Please quote the child's own words rather than summarising them.",
)


TOOLS_BY_AGE = {
    "young": ("three_houses",),
    "child": ("three_houses", "signs_of_safety", "my_star"),
    "teen": ("mind_of_my_own", "signs_of_safety", "my_star"),
}
