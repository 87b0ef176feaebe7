"""Demo data: a realistic fictional ШНОР school (profile, years, staff, working group, curator, pupils)
and its programs: risk profile, antirisk programs and roadmap, indicators, PD courses (`demo_programs`); meetings
(`demo_meetings`); term marks, assessments and the databank (`demo_databank`); learning routes (`demo_routes`).

Every record goes through `models.records.save`, so the demo obeys the same rules as typed data. The names
below are seeded demo data, not interface text; messages a user sees go through `_()`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from models.db import Database, transaction
from models.demo_databank import build_databank
from models.demo_meetings import build_meetings
from models.demo_programs import build_programs
from models.demo_routes import build_routes
from models.i18n import _
from models.records import options, save
from models.school import (
    CURATOR,
    SCHOOL,
    STAFF,
    STUDENT,
    WORKING_GROUP_MEMBER,
    academic_year_start,
    create_academic_year,
)


class DemoError(Exception):
    """The demo cannot be made here; the message is worded for the user."""


@dataclass(frozen=True)
class Size:
    students: int
    staff: int
    years: int  # academic years of history, the current one included


SIZES = {"small": Size(400, 35, 2), "large": Size(2000, 150, 5)}

SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
    "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Захаров", "Зайцев", "Соловьёв", "Борисов",
    "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сорокин", "Ильин", "Калинин", "Белозерский",
    "Полянский", "Коваленко", "Шевчук", "Черных", "Гусейнов", "Кравец", "Тимофеев",
)  # fmt: skip
MALE_NAMES = (
    "Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл", "Михаил",
    "Никита", "Матвей", "Роман", "Егор", "Арсений", "Иван", "Денис", "Евгений", "Тимофей", "Владимир",
    "Павел", "Глеб", "Марк", "Лев", "Николай", "Степан", "Ярослав", "Фёдор", "Даниил", "Игорь",
)  # fmt: skip
FEMALE_NAMES = (
    "Анастасия", "Мария", "Анна", "Виктория", "Екатерина", "Наталья", "Елена", "Дарья", "Алина", "Ирина",
    "Полина", "Ольга", "Юлия", "Татьяна", "Ксения", "София", "Алиса", "Варвара", "Вероника", "Светлана",
    "Людмила", "Галина", "Надежда", "Марина", "Валентина", "Ульяна", "Елизавета", "Кира", "Милана", "Ева",
)  # fmt: skip
PATRONYMICS = (  # male forms in -ович/-евич; the female form is derived
    "Александрович", "Дмитриевич", "Сергеевич", "Андреевич", "Алексеевич", "Михайлович", "Иванович",
    "Владимирович", "Николаевич", "Петрович", "Викторович", "Юрьевич", "Олегович", "Евгеньевич",
    "Павлович", "Игоревич", "Романович", "Васильевич", "Анатольевич", "Геннадьевич", "Борисович",
)  # fmt: skip
PLACES = (  # (municipality, town, region): invented or generic
    ("городской округ Заречный", "г. Заречный", "Северная область"),
    ("Берёзовский муниципальный район", "пос. Берёзовка", "Приречный край"),
    ("Светлоозёрский муниципальный округ", "г. Светлоозёрск", "Лесная область"),
    ("городской округ Сосновка", "г. Сосновка", "Северная область"),
    ("Тихореченский муниципальный район", "г. Тихореченск", "Степная область"),
    ("городской округ Новоключевск", "г. Новоключевск", "Приречный край"),
    ("Ясноборский муниципальный округ", "пос. Ясный Бор", "Лесная область"),
    ("Краснополянский муниципальный район", "с. Красная Поляна", "Степная область"),
)  # fmt: skip
STREETS = ("Школьная", "Советская", "Молодёжная", "Садовая", "Центральная", "Мира", "Лесная", "Заводская")
CURATOR_SCHOOLS = (
    ("МБОУ «Гимназия № 2»", "gymnasium2@example.ru"),
    ("МАОУ «Лицей № 1»", "lyceum1@example.ru"),
    ("МБОУ «СОШ № 7 с углублённым изучением отдельных предметов»", "school7@example.ru"),
    ("МАОУ «Гимназия № 11»", "gymnasium11@example.ru"),
)  # fmt: skip
# The first pairings cover every default subject once; later teachers draw from the weighted rest.
TEACHER_CORE = (
    ("Русский язык", "Литература"), ("Русский язык", "Родной язык"), ("Алгебра", "Геометрия"),
    ("Математика", "Вероятность и статистика"), ("Иностранный язык (английский)",),
    ("История", "Обществознание"), ("Биология", "География"), ("Химия",), ("Физика", "Информатика"),
    ("ОБЗР", "Физическая культура"), ("Технология", "Изобразительное искусство"), ("Музыка",),
)  # fmt: skip
TEACHER_MORE = {
    ("Русский язык", "Литература"): 6, ("Математика", "Алгебра"): 3, ("Алгебра", "Геометрия"): 2,
    ("Иностранный язык (английский)",): 4, ("История", "Обществознание"): 3, ("Физическая культура",): 2,
    ("Биология", "Химия"): 1, ("География",): 1, ("Физика",): 1, ("Информатика",): 1, ("Технология",): 1,
}  # fmt: skip
PRIMARY_CORE = (("Начальные классы", "Литературное чтение"), ("Начальные классы", "Окружающий мир"))
CATEGORIES = {"Высшая": 30, "Первая": 35, "Соответствие занимаемой должности": 20, "Без категории": 15}
DUTIES = {
    "head": "Общее руководство реализацией программы антирисковых мер, взаимодействие с куратором "
    "и управлением образования",
    "deputy": "Мониторинг образовательных результатов, контроль исполнения дорожной карты, "
    "ежеквартальный отчёт",
    "secretary": "Ведение протоколов заседаний рабочей группы, учёт решений и сроков их исполнения",
    "Педагог-психолог": "Психолого-педагогическое сопровождение обучающихся группы риска, диагностика "
    "учебной мотивации",
    "Социальный педагог": "Работа с семьями обучающихся группы риска, вовлечение родителей",
    "Учитель начальных классов": "Руководство методическим объединением учителей начальных классов",
    "Учитель": "Анализ результатов оценочных процедур по предмету «{subject}», разработка "
    "индивидуальных образовательных маршрутов",
}  # fmt: skip


def female_surname(surname: str) -> str:
    """The female form of a Russian surname: -ов → -ова, -ин → -ина, -ский → -ская, others unchanged."""
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    return surname


class _Maker:
    """One demo build: the random source, the day it pretends to be, and the reference ids it needs."""

    def __init__(self, db: Database, rng: random.Random, today: dt.date):
        self.db, self.rng, self.today = db, rng, today
        self.year = academic_year_start(today)
        self.ids = {key: {name: i for i, name in options(db, key)} for key in ("position", "subject")}
        self.categories = {name: i for i, name in options(db, "qualification_category")}

    def person(self, gender: str) -> dict[str, str]:
        """Last/first/middle name agreeing with the gender ('m' or 'f')."""
        last, middle = self.rng.choice(SURNAMES), self.rng.choice(PATRONYMICS)
        if gender == "m":
            return {"last_name": last, "first_name": self.rng.choice(MALE_NAMES), "middle_name": middle}
        first = self.rng.choice(FEMALE_NAMES)
        return {"last_name": female_surname(last), "first_name": first, "middle_name": middle[:-2] + "на"}

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        """A random day from `start` to `end` inclusive (`start` when the range is empty)."""
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def pick(self, weights: dict[Any, int]) -> Any:
        """A key of `weights`, drawn with the given weights."""
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def phone(self) -> str:
        r = self.rng.randint
        return f"+7 9{r(0, 99):02d} {r(0, 999):03d}-{r(0, 99):02d}-{r(0, 99):02d}"

    def staff(
        self,
        position: str,
        subjects: tuple[str, ...] = (),
        age: tuple[int, int] = (24, 68),
        young: bool = False,
        active: bool = True,
    ) -> dict:
        """Save one staff member; young specialists are hired within the last three years."""
        rng, this_year = self.rng, self.today.year
        # Schools of the programme have ageing staff: ages lean towards the fifties.
        birth_year = this_year - (rng.randint(23, 29) if young else round(rng.triangular(*age, 54)))
        if young:
            hired = self.day(self.today - dt.timedelta(days=3 * 365 - 30), self.today - dt.timedelta(days=20))
        else:
            # Teachers join just before 1 September, after college at 22 at the earliest.
            hired_year = rng.randint(max(birth_year + 22, this_year - 40), this_year - 1)
            hired = dt.date(hired_year, 8, rng.randint(20, 31))
        is_young = hired > self.today - dt.timedelta(days=3 * 365) and this_year - birth_year < 35
        category = "Без категории" if is_young else self.pick(CATEGORIES)
        gender = "m" if rng.random() < 0.2 else "f"
        record = {
            **self.person(gender),
            "gender": gender,
            "position_id": self.ids["position"][position],
            "subjects": [self.ids["subject"][s] for s in subjects],
            "category_id": self.categories[category],
            "birth_year": birth_year,
            "young_specialist": is_young,
            "hired_on": hired.isoformat(),
            "active": active,
            "phone": self.phone() if rng.random() < 0.8 else None,
        }
        record["id"] = save(self.db, STAFF, record)
        return {**record, "position": position, "subject_names": subjects}

    def people(self, size: Size, primary_classes: int) -> list[dict]:
        """Administration, support specialists, primary and subject teachers; a few who have left."""
        large = size is SIZES["large"]
        deputies = ["Заместитель директора по УВР"] * (2 if large else 1) + ["Заместитель директора по ВР"]
        support = ["Педагог-психолог", "Учитель-логопед", "Социальный педагог", "Педагог-библиотекарь",
                   "Советник директора по воспитанию"]  # fmt: skip
        if large:
            support += ["Педагог-психолог", "Социальный педагог", "Педагог-организатор", "Тьютор"]
        people = [self.staff("Директор", (self.rng.choice(("История", "Математика")),), age=(42, 64))]
        for position in deputies:
            subject = self.rng.choice(("Русский язык", "Математика"))
            people.append(self.staff(position, (subject,), age=(35, 62)))
        people += [self.staff(p) for p in support]
        for n in range(primary_classes):
            subjects = PRIMARY_CORE[n] if n < len(PRIMARY_CORE) else ("Начальные классы",)
            people.append(self.staff("Учитель начальных классов", subjects, young=self.rng.random() < 0.1))
        remaining = size.staff - len(people)
        left = max(1, round(size.staff * 0.05))  # former teachers, kept as inactive records
        for n in range(remaining):
            subjects = TEACHER_CORE[n] if n < len(TEACHER_CORE) else self.pick(TEACHER_MORE)
            active = n < remaining - left
            people.append(self.staff("Учитель", subjects, young=self.rng.random() < 0.12, active=active))
        return people

    def school(self, people: list[dict]) -> dt.date:
        """Save the profile of a secondary school in an invented municipality, mostly with ШНОР status.

        Returns the day the support programme started (September of the first year identified).
        """
        rng = self.rng
        number = rng.randint(3, 48)
        kind, short = self.pick({("бюджетное", "МБОУ"): 4, ("казённое", "МКОУ"): 1})
        municipality, town, region = rng.choice(PLACES)
        first_year = self.year - rng.randint(1, 2)
        save(self.db, SCHOOL, {
            "full_name": f"Муниципальное {kind} общеобразовательное учреждение "
                         f"«Средняя общеобразовательная школа № {number}»",
            "short_name": f"{short} «СОШ № {number}»",
            "municipality": municipality,
            "region": region,
            "address": f"{rng.randint(160000, 699999)}, {region}, {town}, ул. {rng.choice(STREETS)}, "
                       f"д. {rng.randint(1, 60)}",
            "status": self.pick({"shnor": 8, "shnsu": 1, "risk_group": 1}),
            "years_identified": ", ".join(str(y) for y in range(first_year, self.year + 1)),
            "director_id": people[0]["id"],
            "deputy_id": people[1]["id"],
            "phone": f"+7 (8{rng.randint(10, 99)}) {rng.randint(200, 799)}-{rng.randint(10, 99)}-"
                     f"{rng.randint(10, 99)}",
            "email": f"school{number}@example.ru",
        })  # fmt: skip
        return dt.date(first_year, 9, rng.randint(5, 25))

    def working_group(self, people: list[dict], started: dt.date) -> int:
        """Head, deputy, secretary and members chosen by their jobs, each with duties."""
        rng = self.rng
        staff = {}  # position → active people holding it
        for p in people:
            if p["active"]:
                staff.setdefault(p["position"], []).append(p)
        director, deputy_uvr, deputy_vr = people[0], people[1], staff["Заместитель директора по ВР"][0]
        head, deputy = (director, deputy_uvr) if rng.random() < 0.7 else (deputy_uvr, deputy_vr)
        teachers = rng.sample(staff["Учитель"], rng.randint(1, 4))
        members = [(head, "head"), (deputy, "deputy"), (teachers[0], "secretary")]
        members += [(staff[p][0], "member") for p in ("Педагог-психолог", "Социальный педагог")]
        members += [(rng.choice(staff["Учитель начальных классов"]), "member")]
        members += [(t, "member") for t in teachers[1:]]
        for person, role in members:
            duty = DUTIES.get(role) or DUTIES[person["position"]]
            subject = person["subject_names"][0] if person["subject_names"] else ""
            since = min(self.today, max(started, dt.date.fromisoformat(person["hired_on"])))
            save(self.db, WORKING_GROUP_MEMBER, {
                "staff_id": person["id"], "role": role, "duties": duty.format(subject=subject),
                "since": since.isoformat(),
            })  # fmt: skip
        return len(members)

    def curators(self, large: bool) -> int:
        """The current curator, and for a large school also the one before."""
        schools = self.rng.sample(CURATOR_SCHOOLS, 2 if large else 1)
        for (school, email), active in zip(schools, (True, False)[: len(schools)], strict=True):
            person = self.person(self.rng.choice("mf"))
            save(self.db, CURATOR, {
                "curator_school": school, "full_name": " ".join(person.values()),
                "position": self.rng.choice(("Директор", "Заместитель директора по УВР")),
                "phone": self.phone(), "email": email, "active": active,
            })  # fmt: skip
        return len(schools)

    def classes(self, size: Size) -> list[tuple[int, str, int]]:
        """(grade, letter, pupils): half as many pupils in grades 10–11, since many leave after grade 9."""
        plan = []
        for grade in range(1, 12):
            pupils = size.students * (0.5 if grade >= 10 else 1.0) / 10
            parallels = max(1, round(pupils / 26))
            plan += [(grade, "АБВГДЕЖЗИК"[n], round(pupils / parallels) + self.rng.randint(-3, 3))
                     for n in range(parallels)]  # fmt: skip
        return plan

    def students(self, plan: list[tuple[int, str, int]]) -> tuple[int, int]:
        """Pupils born in the right year for their grade (a few a year older or younger); ~2 % moved away."""
        rng, total, left = self.rng, sum(n for _grade, _letter, n in plan), 0
        journal_ids = iter(rng.sample(range(100000, 1000000), total))
        for grade, letter, count in plan:
            for _n in range(count):
                gender = rng.choice("mf")
                born = self.year - 6 - grade + rng.choices((0, -1, 1), (88, 9, 3))[0]
                entered = dt.date(self.year - grade + 1, 9, 1)
                if rng.random() < 0.15:  # came from another school
                    entered = self.day(entered, self.today)
                left_on = None
                if rng.random() < 0.02:  # moved away during this academic year
                    left_on = self.day(max(entered, dt.date(self.year, 9, 1)), self.today)
                    left += 1
                save(self.db, STUDENT, {
                    **self.person(gender), "gender": gender, "grade": grade, "letter": letter,
                    "birth_date": self.day(dt.date(born, 1, 1), dt.date(born, 12, 31)).isoformat(),
                    "ejournal_id": f"EJ-{next(journal_ids)}", "enrolled_on": entered.isoformat(),
                    "left_on": left_on.isoformat() if left_on else None,
                })  # fmt: skip
        return total, left


def build_demo(
    db: Database, size: str = "small", seed: int = 1, today: dt.date | None = None
) -> dict[str, int]:
    """Fill an empty, migrated database with a realistic fictional school; return counts of what was made.

    Another seed gives another school; the same seed and `today` give the same database content. Raises
    DemoError if the database already holds a school or people (the demo never mixes with real data).
    Birth dates must pass the pupil record's check, so `today` should lie within a year or two of the
    real date.
    """
    if size not in SIZES:
        raise DemoError(_("Unknown demo size “{size}”: choose small or large.").format(size=size))
    spec, maker = SIZES[size], _Maker(db, random.Random(seed), today or dt.date.today())
    with transaction(db):
        # Checked inside the transaction, so nothing can slip in between the check and the writes.
        if any(db.execute(f"SELECT 1 FROM [{t}] LIMIT 1").fetchone() for t in ("school", "staff", "student")):
            raise DemoError(_("The database already holds a school; the demo is made only in an empty database."))
        for start in range(maker.year - spec.years + 1, maker.year + 1):
            create_academic_year(db, start)
        plan = maker.classes(spec)
        people = maker.people(spec, sum(1 for grade, _letter, _n in plan if grade <= 4))
        members = maker.working_group(people, started=maker.school(people))
        curators = maker.curators(size == "large")
        students, left = maker.students(plan)
        programs = build_programs(maker, people, students, small=size == "small")
        meetings = build_meetings(db, maker.rng, maker.today)
        databank = build_databank(db, maker.rng, maker.today, small=size == "small")  # routes are made from it
        routes = build_routes(db, maker.rng, maker.today)
    return {
        "academic_years": spec.years,
        "terms": 4 * spec.years,
        "staff": len(people),
        "staff_active": sum(1 for p in people if p["active"]),
        "working_group": members,
        "curators": curators,
        "classes": len(plan),
        "students": students,
        "students_left": left,
        **programs,
        **meetings,
        **databank,
        **routes,
    }
