"""Demo meetings: a year of working meetings with the curator in the rhythm of seed 002 #30 (seven dates a
year), interim reviews of the antirisk programs (#40), and working group sessions.

Past meetings are held, with numbered minutes, participants, an agenda with what was heard and decisions
(most done, some open and overdue); later ones are planned, the nearest with its agenda. One or two decisions
become roadmap measures when a program exists. Everything goes through `models.meetings` and
`models.records.save`, inside the caller's transaction. The Russian texts are seeded demo data, not interface
text; in `heard`, {pct}, {pct2}, {n}, {q} (at most {n}), {k} and {qual} are
filled with believable figures.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import NamedTuple

from models import meetings, records
from models.db import Database
from models.programs import PROGRAM
from models.school import (
    STAFF,
    WORKING_GROUP_MEMBER,
    academic_year_on,
    academic_year_start,
    school_profile,
    short_name,
)


class Item(NamedTuple):
    title: str
    speaker: str  # a role key (see _Roles) or "curator"
    heard: str
    decisions: tuple[tuple[str, str, str, int], ...]  # text, owner role key, owner as worded, due in days


class Slot(NamedTuple):
    month: int
    days: tuple[int, int]  # the day of the month is drawn from this range, then moved off a weekend
    kind: str  # an item of the 'meeting_kind' list
    place: str
    time: str
    items: tuple[Item, ...]  # the first is always on the agenda, some of the others join it


VISIT, WORKING, ONLINE, GROUP = (
    "Визит куратора",
    "Рабочая встреча с куратором",
    "Онлайн-консультация",
    "Заседание рабочей группы",
)

SLOTS = (
    Slot(
        9,
        (3, 10),
        GROUP,
        "Учительская",
        "15:30",
        (
            Item(
                "Об утверждении состава и плана работы рабочей группы на учебный год",
                "head",
                "о составе рабочей группы по реализации Программы перехода в эффективный режим "
                "функционирования и о распределении обязанностей между её членами. Предложен план работы на "
                "год, согласованный со школой-куратором.",
                (
                    ("Утвердить план работы рабочей группы на учебный год", "head", "", 7),
                    ("Подготовить проект приказа о составе рабочей группы", "secretary", "", 5),
                ),
            ),
            Item(
                "О проведении входных контрольных работ",
                "deputy",
                "о графике входных контрольных работ по русскому языку и математике в 5–9 классах и о единых "
                "критериях оценивания.",
                (("Провести входные контрольные работы в 5–9 классах", "deputy", "учителя-предметники", 18),),
            ),
            Item(
                "О графике рабочих встреч с куратором",
                "deputy",
                "о графике семи рабочих встреч с куратором на учебный год и о материалах, которые школа готовит "
                "к каждой встрече.",
                (("Разместить график встреч с куратором на сайте школы", "secretary", "", 10),),
            ),
        ),
    ),
    Slot(
        9,
        (22, 29),
        VISIT,
        "Кабинет директора",
        "14:00",
        (
            Item(
                "О результатах самодиагностики и рисковом профиле школы",
                "deputy",
                "о результатах самодиагностики: высокую значимость имеют {k} факторов риска, в том числе "
                "«Высокая доля обучающихся с рисками учебной неуспешности». Предложено сосредоточить работу на "
                "трёх программах антирисковых мер.",
                (
                    ("Утвердить рисковый профиль школы на учебный год", "director", "", 7),
                    ("Доработать программы антирисковых мер с учётом замечаний куратора", "deputy", "", 14),
                ),
            ),
            Item(
                "Рекомендации куратора по итогам посещения уроков",
                "curator",
                "о результатах посещения {n} уроков в 5–9 классах: на большинстве уроков не организована "
                "индивидуальная работа с обучающимися, испытывающими затруднения. Рекомендовано использовать "
                "приёмы формирующего оценивания.",
                (("Провести методический семинар «Формирующее оценивание на уроке»", "deputy", "", 40),),
            ),
            Item(
                "О результатах входных контрольных работ",
                "deputy",
                "о результатах входных контрольных работ: успеваемость по математике — {pct} %, по русскому "
                "языку — {pct2} %. Выявлены предметные дефициты в решении текстовых задач и в орфографии.",
                (
                    (
                        "Сформировать банк данных обучающихся, испытывающих затруднения в обучении, по итогам "
                        "входных работ",
                        "deputy",
                        "",
                        21,
                    ),
                    (
                        "Разработать индивидуальные образовательные маршруты для обучающихся из банка данных",
                        "",
                        "учителя-предметники",
                        30,
                    ),
                ),
            ),
        ),
    ),
    Slot(
        10,
        (20, 28),
        WORKING,
        "Кабинет директора",
        "14:30",
        (
            Item(
                "О формировании банка данных обучающихся с трудностями в обучении",
                "deputy",
                "о банке данных: в него включено {n} чел., из них {k} — группа риска ГИА в 9 классах. "
                "Для каждого определены ответственный педагог и формы сопровождения.",
                (
                    (
                        "Провести диагностику учебной мотивации обучающихся 5–9 классов",
                        "psychologist",
                        "",
                        30,
                    ),
                    (
                        "Организовать дополнительные занятия по математике для группы риска ГИА",
                        "teacher",
                        "",
                        14,
                    ),
                ),
            ),
            Item(
                "Об индивидуальных образовательных маршрутах обучающихся",
                "teacher",
                "о разработке {k} индивидуальных образовательных маршрутов ликвидации предметных дефицитов и о "
                "контрольных точках в конце каждой четверти.",
                (
                    (
                        "Провести контрольные срезы по маршрутам в конце II четверти",
                        "",
                        "учителя-предметники",
                        55,
                    ),
                ),
            ),
            Item(
                "О вовлечении родителей в образовательный процесс",
                "social",
                "о работе с семьями обучающихся группы риска: проведено {q} индивидуальных бесед, родители {k} "
                "обучающихся не выходят на связь.",
                (
                    (
                        "Провести родительские собрания по итогам I четверти",
                        "",
                        "классные руководители 5–9 классов",
                        21,
                    ),
                ),
            ),
        ),
    ),
    Slot(
        12,
        (8, 17),
        WORKING,
        "Кабинет директора",
        "14:30",
        (
            Item(
                "Анализ результатов исполнения задач, поставленных на I полугодие",
                "deputy",
                "об исполнении задач I полугодия: выполнено {q} мероприятий дорожной карты из {n}, успеваемость "
                "по итогам II четверти — {pct} %, качество знаний — {qual} %.",
                (
                    (
                        "Скорректировать индивидуальные маршруты обучающихся, не достигших планируемых результатов",
                        "",
                        "учителя-предметники",
                        35,
                    ),
                    ("Подготовить аналитическую справку об итогах I полугодия", "deputy", "", 20),
                ),
            ),
            Item(
                "Об участии педагогов в курсах повышения квалификации",
                "deputy",
                "о повышении квалификации: курсы по обновлённым ФГОС прошли {k} педагогов, ещё трое записаны на "
                "курсы во II полугодии.",
                (("Направить на курсы повышения квалификации учителей математики", "director", "", 60),),
            ),
            Item(
                "Рекомендации куратора по работе с группой риска ГИА",
                "curator",
                "о практике школы-куратора: еженедельные консультации по предметам ГИА и индивидуальные планы "
                "подготовки, согласованные с родителями.",
                (
                    (
                        "Составить индивидуальные планы подготовки к ГИА для обучающихся группы риска",
                        "teacher",
                        "",
                        30,
                    ),
                ),
            ),
        ),
    ),
    Slot(
        1,
        (13, 20),
        GROUP,
        "Учительская",
        "15:30",
        (
            Item(
                "Об итогах I полугодия и выполнении решений рабочих встреч с куратором",
                "head",
                "об исполнении решений: из {n} решений рабочих встреч выполнено {q}, остальные на контроле.",
                (("Взять на контроль невыполненные решения рабочих встреч с куратором", "deputy", "", 14),),
            ),
            Item(
                "О подготовке квартального отчёта для управления образования",
                "deputy",
                "о структуре отчёта о реализации дорожной карты и о сроках представления сведений.",
                (("Представить сведения для квартального отчёта", "", "руководители ШМО", 10),),
            ),
        ),
    ),
    Slot(
        2,
        (16, 27),
        ONLINE,
        "Онлайн, Сферум",
        "15:00",
        (
            Item(
                "О ходе реализации программ антирисковых мер",
                "deputy",
                "о ходе реализации программ: выполнено {q} мероприятий, {k} перенесены. Доля обучающихся с "
                "рисками учебной неуспешности снизилась до {k}%.",
                (
                    (
                        "Провести взаимопосещение уроков учителями математики и русского языка",
                        "deputy",
                        "",
                        30,
                    ),
                ),
            ),
            Item(
                "О подготовке к всероссийским проверочным работам",
                "teacher",
                "о подготовке к ВПР: проведены тренировочные работы в 5–8 классах, средний процент выполнения — {pct}.",
                (
                    ("Включить задания формата ВПР в текущий контроль", "", "учителя-предметники", 21),
                    ("Провести тренировочные ВПР по математике и русскому языку", "deputy", "", 28),
                ),
            ),
        ),
    ),
    Slot(
        3,
        (16, 24),
        VISIT,
        "Методический кабинет",
        "14:00",
        (
            Item(
                "Анализ выполнения и коррекция программы антирисковых мер",
                "deputy",
                "о выполнении программы антирисковых мер за I–III четверти и о предложениях по её коррекции.",
                (
                    (
                        "Внести изменения в программу антирисковых мер и утвердить их приказом",
                        "director",
                        "",
                        21,
                    ),
                ),
            ),
            Item(
                "О результатах пробных экзаменов в 9 классах",
                "teacher",
                "о результатах пробного ОГЭ по математике: получили «2» {k} обучающихся, успеваемость — {pct} %.",
                (
                    (
                        "Провести индивидуальные консультации для обучающихся, получивших «2» на пробном ОГЭ",
                        "teacher",
                        "",
                        20,
                    ),
                ),
            ),
            Item(
                "Рекомендации куратора по итогам посещения уроков",
                "curator",
                "о посещении {n} уроков: в работе учителей появились приёмы формирующего оценивания, но "
                "дифференцированные задания используются редко.",
                (("Провести открытые уроки с дифференцированными заданиями", "", "руководители ШМО", 30),),
            ),
            Item(
                "О психологическом сопровождении обучающихся группы риска",
                "psychologist",
                "о результатах диагностики учебной мотивации: низкий уровень у {q} % обучающихся 7–9 классов.",
                (("Провести занятия по развитию учебной мотивации в 7–9 классах", "psychologist", "", 45),),
            ),
        ),
    ),
    Slot(
        4,
        (20, 28),
        WORKING,
        "Кабинет директора",
        "14:30",
        (
            Item(
                "Подведение промежуточных итогов реализации программы антирисковых мер",
                "deputy",
                "о промежуточных итогах: из {n} мероприятий выполнено {q}, целевые показатели по качеству "
                "знаний достигнуты частично.",
                (
                    (
                        "Утвердить комплекс мер по корректировке результатов на IV четверть",
                        "director",
                        "",
                        10,
                    ),
                    ("Обновить банк данных обучающихся с трудностями в обучении", "deputy", "", 14),
                ),
            ),
            Item(
                "О подготовке к государственной итоговой аттестации",
                "teacher",
                "о подготовке к ГИА: группа риска сократилась до {k} обучающихся, с каждым проводятся консультации.",
                (
                    (
                        "Провести родительские собрания в 9 классах по подготовке к ГИА",
                        "",
                        "классные руководители 9 классов",
                        14,
                    ),
                ),
            ),
        ),
    ),
    Slot(
        5,
        (18, 26),
        GROUP,
        "Учительская",
        "15:30",
        (
            Item(
                "Об итогах всероссийских проверочных работ",
                "deputy",
                "о результатах ВПР: подтвердили годовые отметки {pct} % обучающихся.",
                (
                    (
                        "Подготовить анализ результатов ВПР по классам и предметам",
                        "deputy",
                        "руководители ШМО",
                        21,
                    ),
                ),
            ),
            Item(
                "О самодиагностике на следующий учебный год",
                "head",
                "о порядке самодиагностики и обновления рискового профиля школы.",
                (("Провести самодиагностику и обновить рисковый профиль школы", "deputy", "", 30),),
            ),
        ),
    ),
    Slot(
        6,
        (8, 16),
        WORKING,
        "Кабинет директора",
        "14:00",
        (
            Item(
                "Об итогах реализации программы антирисковых мер за учебный год",
                "deputy",
                "об итогах года: успеваемость — {pct} %, качество знаний — {qual} %, доля обучающихся с рисками "
                "учебной неуспешности снизилась на {k} %.",
                (
                    (
                        "Подготовить отчёт о реализации программы антирисковых мер за учебный год",
                        "deputy",
                        "",
                        14,
                    ),
                ),
            ),
            Item(
                "Утверждение комплекса мер, направленных на корректировку полученных данных, на следующий год",
                "director",
                "о комплексе мер на следующий учебный год с учётом рекомендаций куратора.",
                (
                    ("Включить комплекс мер в дорожную карту на следующий учебный год", "deputy", "", 60),
                    ("Согласовать комплекс мер со школой-куратором", "director", "", 30),
                ),
            ),
        ),
    ),
)

NOTES = (
    "Выполнено, материалы размещены на сайте школы.",
    "Выполнено, справка рассмотрена на совещании.",
    "Выполнено частично, остальное перенесено.",
    "Приказ издан.",
)


def _weekday(day: dt.date) -> dt.date:
    """A weekend day moves to the nearest working day (Saturday to Friday, Sunday to Monday)."""
    return (
        day - dt.timedelta(days=1) if day.weekday() == 5 else day + dt.timedelta(days=1) if day.weekday() == 6 else day
    )


class _Roles:
    """Who is who for the demo: staff ids by role key, and how the minutes name them."""

    def __init__(self, db: Database):
        self.db = db
        profile = school_profile(db) or {}
        staff = {s["id"]: s for s in records.rows(db, STAFF)}
        positions = {
            i: name for i, name in records.options(db, "position", keep=[s["position_id"] for s in staff.values()])
        }
        members = records.rows(db, WORKING_GROUP_MEMBER)
        by_role = {m["role"]: m["staff_id"] for m in members}
        self.members = [m["staff_id"] for m in members]

        def holding(position: str) -> int | None:
            found = [m for m in self.members if positions.get(staff[m]["position_id"]) == position]
            return found[0] if found else None

        head = by_role.get("head") or profile.get("director_id")
        deputy = profile.get("deputy_id") or by_role.get("deputy") or head
        self.ids = {
            "head": head,
            "director": profile.get("director_id") or head,
            "deputy": deputy,
            "secretary": by_role.get("secretary") or deputy,
            "psychologist": holding("Педагог-психолог") or deputy,
            "social": holding("Социальный педагог") or deputy,
            "teacher": holding("Учитель") or deputy,
        }
        self.staff, self.positions = staff, positions
        self.curator = meetings.active_curator(db)

    def speaker(self, key: str) -> str:
        """'Иванова М. П., заместитель директора по УВР' — as a speaker stands in the agenda."""
        if key == "curator":
            if not self.curator:
                return ""
            last, first, middle = (self.curator["full_name"].split() + ["", ""])[:3]
            name = short_name({"last_name": last, "first_name": first, "middle_name": middle})
            return f"{name}, {meetings.curator_position(self.curator)}"
        person = self.staff.get(self.ids.get(key))
        if not person:
            return ""
        position = self.positions.get(person["position_id"], "")
        return ", ".join(p for p in (short_name(person), position[:1].lower() + position[1:]) if p)


def _dates(rng: random.Random, start_year: int) -> list[tuple[dt.date, Slot]]:
    out = []
    for slot in SLOTS:
        year = start_year if slot.month >= 9 else start_year + 1
        out.append((_weekday(dt.date(year, slot.month, rng.randint(*slot.days))), slot))
    return sorted(out, key=lambda pair: pair[0])


def build_meetings(db: Database, rng: random.Random, today: dt.date) -> dict[str, int]:
    """A year of meetings: the seven curator meetings of the current academic year and three working group
    sessions; past ones held with minutes, later ones planned. When fewer than three are past yet, the
    previous academic year (if the database has it) is added, all held.

    Runs inside the caller's transaction. Returns counts: meetings, meetings_held, meetings_planned,
    participants, agenda_items, decisions, decisions_open, decisions_overdue, measures_from_decisions.
    """
    roles = _Roles(db)
    kinds = {name: i for i, name in records.options(db, "meeting_kind")}
    first_kind = next(iter(kinds.values()))
    current = academic_year_start(today)
    plan = _dates(rng, current)
    if sum(day < today for day, _slot in plan) < 3 and academic_year_on(db, dt.date(current - 1, 9, 1)):
        plan = _dates(rng, current - 1) + plan
    plan = [(day, slot) for day, slot in plan if academic_year_on(db, day)]
    counts = dict.fromkeys(
        (
            "meetings",
            "meetings_held",
            "meetings_planned",
            "participants",
            "agenda_items",
            "decisions",
            "decisions_open",
            "decisions_overdue",
            "measures_from_decisions",
        ),
        0,
    )
    done_candidates: list[int] = []
    next_planned = True
    for day, slot in plan:
        kind_id = kinds.get(slot.kind, first_kind)
        chair = roles.ids["head"] if slot.kind == GROUP else roles.ids["director"]
        secretary = roles.ids["secretary"] if roles.ids["secretary"] != chair else None
        meeting_id = meetings.save_meeting(
            db,
            {
                "kind_id": kind_id,
                "date": day.isoformat(),
                "time": slot.time,
                "place": slot.place,
                "status": "planned",
                "chair_id": chair,
                "secretary_id": secretary,
            },
            today=today,
        )
        counts["meetings"] += 1
        chosen = [slot.items[0]] + [i for i in slot.items[1:] if rng.random() < 0.6]
        if len(chosen) < 2:
            chosen.append(slot.items[1])
        if day >= today:
            counts["meetings_planned"] += 1
            if next_planned:  # the nearest planned meeting already has its agenda
                for position, item in enumerate(chosen[:3], 1):
                    records.save(
                        db,
                        meetings.AGENDA_ITEM,
                        {
                            "meeting_id": meeting_id,
                            "position": position,
                            "title": item.title,
                            "speaker": roles.speaker(item.speaker),
                        },
                    )
                    counts["agenda_items"] += 1
                next_planned = False
            continue
        meetings.hold(
            db,
            meeting_id,
            add_working_group=True,
            add_curator=slot.kind != GROUP and roles.curator is not None,
            today=today,
        )
        counts["meetings_held"] += 1
        people = records.rows(db, meetings.PARTICIPANT, {"meeting_id": meeting_id})
        counts["participants"] += len(people)
        absent = [p["id"] for p in people if p["staff_id"] not in (chair, secretary, None)]
        if absent and rng.random() < 0.5:
            meetings.set_presence(db, [rng.choice(absent)], present=False)
        n = rng.randint(14, 38)
        figures = {
            "pct": rng.randint(62, 86),
            "pct2": rng.randint(58, 84),
            "n": n,
            "q": rng.randint(n // 2, n),
            "k": rng.randint(3, 9),
            "qual": rng.randint(28, 45),
        }
        decided = 0
        for position, item in enumerate(chosen[:4], 1):
            agenda_id = records.save(
                db,
                meetings.AGENDA_ITEM,
                {
                    "meeting_id": meeting_id,
                    "position": position,
                    "title": item.title,
                    "speaker": roles.speaker(item.speaker),
                    "heard": item.heard.format(**figures),
                },
            )
            counts["agenda_items"] += 1
            for text, owner, owner_text, days in item.decisions:
                if decided >= 4:
                    break
                status, done_on, note = _fate(rng, day, _weekday(day + dt.timedelta(days=days)), today)
                decision_id = meetings.save_decision(
                    db,
                    {
                        "meeting_id": meeting_id,
                        "agenda_item_id": agenda_id,
                        "text": text,
                        "owner_id": roles.ids.get(owner) if owner else None,
                        "owner_text": owner_text or None,
                        "due_date": _weekday(day + dt.timedelta(days=days)).isoformat(),
                        "status": status,
                        "done_on": done_on,
                        "note": note,
                    },
                    today=today,
                )
                decided += 1
                counts["decisions"] += 1
                if status != "cancelled":
                    done_candidates.append(decision_id)
    _keep_one_overdue(db, today)
    counts["measures_from_decisions"] = _to_roadmap(db, rng, done_candidates)
    open_rows = meetings.decision_rows(db, include_closed=False, today=today)
    counts["decisions_open"] = len(open_rows)
    counts["decisions_overdue"] = sum(d["overdue"] for d in open_rows)
    return counts


def _fate(rng: random.Random, held: dt.date, due: dt.date, today: dt.date) -> tuple[str, str | None, str | None]:
    """Status, date done and note: most decisions due by now are done, some are open (overdue), few cancelled;
    of those due later a quarter is already done."""
    roll = rng.random()
    if due < today and roll < 0.04:
        return "cancelled", None, "Утратило актуальность."
    if (due < today and roll < 0.8) or (due >= today and roll < 0.25):
        latest = min(today, due + dt.timedelta(days=4))
        done = min(latest, max(held, due - dt.timedelta(days=rng.randint(0, 10))))
        note = rng.choice(NOTES) if rng.random() < 0.3 else None
        return "done", done.isoformat(), note
    return "open", None, None


def _keep_one_overdue(db: Database, today: dt.date) -> None:
    """The demo shows what overdue looks like: if chance left none, the latest one due by now stays open."""
    rows = meetings.decision_rows(db, today=today)
    if any(d["overdue"] for d in rows):
        return
    late = [d for d in rows if d["due_date"] and d["due_date"] < today.isoformat() and d["status"] == "done"]
    if late:
        latest = max(late, key=lambda d: d["due_date"])
        values = {"status": "open", "done_on": None, "note": None}
        meetings.save_decision(db, values, latest["id"], today=today)


def _to_roadmap(db: Database, rng: random.Random, candidates: list[int]) -> int:
    """One or two decisions become measures of a program, when the school has programs."""
    programs = records.rows(db, PROGRAM)
    if not programs or not candidates:
        return 0
    made = 0
    for decision_id in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
        meetings.decision_to_measure(db, decision_id, rng.choice(programs)["id"])
        made += 1
    return made
