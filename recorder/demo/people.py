"""The demo's people: the scripted team's accounts, and the names bulk staff and children are
drawn from. Importable before the first paint (standard library only: the sign-in screen
lists the demo accounts while the store is still being made). Names are fictional."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


# username, full name, role, kind, SWE number, password, description
ACCOUNTS: tuple[tuple[str, str, str, str | None, str | None, str, str], ...] = (
    (
        "admin",
        "Helen Clarke",
        "administrator",
        None,
        None,
        "demo-admin-1",
        "Administrator - accounts, teams and children (cannot read case records)",
    ),
    (
        "manager",
        "Grace Adeyemi",
        "team_manager",
        None,
        "SW104387",
        "demo-manager-1",
        "Team manager (SW104387) - oversight and sign-off",
    ),
    (
        "sam",
        "Sam Whitfield",
        "social_worker",
        None,
        "SW081246",
        "demo-sam-1",
        "Social worker (SW081246)",
    ),
    (
        "priya",
        "Priya Raman",
        "social_worker",
        None,
        "SW093318",
        "demo-priya-1",
        "Social worker (SW093318)",
    ),
    (
        "tom",
        "Tom Okafor",
        "social_worker",
        None,
        "SW110752",
        "demo-tom-1",
        "Social worker (SW110752)",
    ),
    (
        "student",
        "Chloe Bennett",
        "unqualified",
        "student",
        None,
        "demo-student-1",
        "Student social worker - needs qualified countersign",
    ),
    (
        "awaiting",
        "Daniel Mensah",
        "unqualified",
        "awaiting_registration",
        None,
        "demo-awaiting-1",
        "Newly qualified, awaiting registration - needs qualified countersign",
    ),
    (
        "lucy",
        "Lucy Marsh",
        "social_worker",
        None,
        "SW126610",
        "demo-lucy-1",
        "Social worker (SW126610) - registration check overdue: cannot countersign",
    ),
)

#: the registered worker whose register check was not made since the last renewal deadline
OVERDUE_CHECK = "lucy"

TEAM = "Riverside Safeguarding Team"
#: the second team, and the service manager above both (``recorder.demo.service``)
SECOND_TEAM = "Hillside Family Support Team"

# the same fields as ACCOUNTS; the team is SECOND_TEAM, and the service manager has none
SERVICE_ACCOUNTS: tuple[tuple[str, str, str, str | None, str | None, str, str], ...] = (
    (
        "head",
        "Rosalind Achebe",
        "service_manager",
        None,
        "SW066120",
        "demo-head-1",
        "Service manager (SW066120) - both teams: escalations, team managers' own records",
    ),
    (
        "amal",
        "Amal Haddad",
        "team_manager",
        None,
        "SW098432",
        "demo-amal-1",
        "Team manager, Hillside team (SW098432)",
    ),
    (
        "ben",
        "Ben Kowalski",
        "social_worker",
        None,
        "SW120554",
        "demo-ben-1",
        "Social worker, Hillside team (SW120554)",
    ),
    (
        "josie",
        "Josie Fairweather",
        "social_worker",
        None,
        "SW117309",
        "demo-josie-1",
        "Social worker, Hillside team (SW117309)",
    ),
)

NAMES = {a[0]: a[1] for a in ACCOUNTS + SERVICE_ACCOUNTS}  # username -> full name


def demo_accounts() -> list[DemoAccount]:
    """The accounts ``recorder.demo.team.populate`` makes, known before it runs (to show
    them at once)."""
    return [DemoAccount(a[0], a[5], a[6]) for a in ACCOUNTS + SERVICE_ACCOUNTS]


# Bulk loads draw their staff's and children's names from these backgrounds:
# weight, ethnicity, religions, language, interpreter language, girls, boys, surnames
BACKGROUNDS: tuple[tuple[int, str, tuple[str, ...], str, str, str, str, str], ...] = (
    (
        38,
        "White British",
        ("None", "None", "Christian", "Church of England"),
        "English",
        "",
        "Olivia Amelia Isla Ava Mia Freya Lily Poppy Ellie Grace Ruby Evie Sophie Chloe Jessica",
        "Oliver George Harry Noah Jack Leo Charlie Freddie Alfie Archie Jacob Riley Mason Tyler Kai",
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
        "Walker White Roberts Green Hall Wood Jackson Clarke",
    ),
    (
        5,
        "White - Polish",
        ("Roman Catholic",),
        "Polish",
        "Polish",
        "Zuzanna Julia Maja Zofia Hanna Lena Alicja",
        "Jakub Antoni Szymon Jan Filip Kacper Mikołaj",
        "Nowak Wójcik Kowalczyk Mazur Krawczyk Zając Król Wieczorek",
    ),
    (
        3,
        "White - Romanian",
        ("Romanian Orthodox",),
        "Romanian",
        "Romanian",
        "Ioana Maria Elena Andreea Ana Sofia",
        "Andrei Ștefan Mihai Alexandru David Luca",
        "Popescu Ionescu Popa Stan Dumitru Munteanu Marin",
    ),
    (
        7,
        "Asian British - Pakistani",
        ("Muslim",),
        "English and Urdu",
        "Urdu",
        "Aisha Maryam Zainab Hafsa Inaya Amira",
        "Muhammad Ibrahim Yusuf Ayaan Hamza Zayn",
        "Khan Hussain Ahmed Ali Iqbal Akhtar Mahmood",
    ),
    (
        4,
        "Asian British - Bangladeshi",
        ("Muslim",),
        "English and Sylheti",
        "Sylheti",
        "Fatima Ayesha Sumaiya Nusrat Tahmina",
        "Abdullah Rahim Tanvir Arif Sami",
        "Begum Miah Uddin Rahman Islam Chowdhury",
    ),
    (
        4,
        "Asian British - Indian",
        ("Hindu", "Sikh", "Muslim"),
        "English and Gujarati",
        "",
        "Ananya Priya Diya Simran Aarohi",
        "Arjun Rohan Aarav Harjeet Veer",
        "Patel Sharma Singh Gill Mistry Shah",
    ),
    (
        5,
        "Black British - Caribbean",
        ("Christian", "None"),
        "English",
        "",
        "Tiana Jada Kayla Aaliyah Imani",
        "Marcus Jaden Tyrese Isaiah Malachi",
        "Campbell Richards Brown Francis Thomas Clarke",
    ),
    (
        4,
        "Black African - Nigerian",
        ("Christian", "Christian (Pentecostal)"),
        "English and Yoruba",
        "",
        "Adaeze Chioma Tolu Simi Precious",
        "Chidi Tobi Emeka David Daniel",
        "Okonkwo Adeyemi Bakare Okafor Eze Balogun",
    ),
    (
        3,
        "Black African - Somali",
        ("Muslim",),
        "Somali",
        "Somali",
        "Hodan Ayan Sagal Fardowsa Ikran",
        "Abdi Hamza Mohamed Yusuf Liban",
        "Farah Mohamed Ali Hassan Warsame Abdi",
    ),
    (
        1,
        "Black African - Eritrean",
        ("Eritrean Orthodox Christian",),
        "Tigrinya",
        "Tigrinya",
        "Semhar Selam Mahlet Helen",
        "Yonas Filmon Biniam Daniel",
        "Tesfay Gebremedhin Haile Kidane",
    ),
    (
        6,
        "Mixed - White and Black Caribbean",
        ("None", "Christian"),
        "English",
        "",
        "Jasmine Leah Maya Kiara Tia",
        "Leon Jayden Kian Reece Nathan",
        "Campbell Walsh Taylor Brown Francis Hughes",
    ),
    (
        2,
        "Arab - Syrian",
        ("Muslim",),
        "Arabic",
        "Arabic (Levantine)",
        "Lina Rania Jana Sara Maya",
        "Omar Khaled Ahmad Yousef Karim",
        "Al-Hassan Haddad Khalil Saleh Mansour",
    ),
    (
        2,
        "Chinese",
        ("None", "Buddhist"),
        "Mandarin",
        "Mandarin",
        "Mei Ling Yan Hui Xin",
        "Ming Wei Hao Jun Lei",
        "Li Wang Zhang Chen Liu",
    ),
    (
        2,
        "White - Irish Traveller",
        ("Roman Catholic",),
        "English",
        "",
        "Bridget Mary Siobhán Kathleen",
        "Patrick John Michael Martin",
        "O'Connor Ward McDonagh Joyce Maughan",
    ),
    (
        2,
        "Asian - Afghan",
        ("Muslim",),
        "Dari",
        "Dari",
        "Mariam Zahra Parisa Shabnam",
        "Ali Ahmad Mustafa Javid",
        "Rahimi Haidari Ahmadi Karimi",
    ),
    (
        1,
        "Asian - Vietnamese",
        ("Buddhist",),
        "Vietnamese",
        "Vietnamese",
        "Lan Linh Mai Thảo",
        "Minh Huy Nam Đức",
        "Nguyễn Trần Lê Phạm",
    ),
)
BG_WEIGHTS = [b[0] for b in BACKGROUNDS]
