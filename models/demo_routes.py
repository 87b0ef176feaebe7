"""Demo learning routes: pupils' routes in every state (drafts, routes under way with steps partly done, some
needing revision, completed ones with each outcome, a cancelled one) and teachers' routes (young specialists with
a mentor, teachers of the program «Недостаточная предметная и методическая компетентность»).

Every record goes through the routes module's writers, so the demo obeys the same rules as typed data. The texts
below are seeded demo data in Russian, not interface text.
"""

from __future__ import annotations

import datetime as dt
import random

from models import records, routes
from models.db import Database
from models.programs import PD_COURSE
from models.records import options, rows
from models.school import STAFF

MAX_SCORE = 20  # the demo's checkpoints are control works marked out of 20
OUTCOME_FATES = ("achieved", "partly", "not_achieved")

TOPICS = {
    "Математика": (
        "Действия с обыкновенными дробями", "Десятичные дроби: сложение и вычитание",
        "Текстовые задачи на движение", "Нахождение процента от числа", "Решение линейных уравнений",
        "Действия с отрицательными числами", "Единицы измерения величин", "Чтение таблиц и диаграмм",
        "Периметр и площадь прямоугольника", "Порядок действий в выражениях",
    ),
    "Русский язык": (
        "Безударные гласные в корне слова", "Н и НН в суффиксах прилагательных и причастий",
        "Знаки препинания в сложном предложении", "Синтаксический разбор предложения",
        "Морфологический разбор слова", "Приставки ПРЕ- и ПРИ-", "НЕ с разными частями речи",
        "Основная мысль текста", "Орфоэпические нормы", "Слитное и раздельное написание наречий",
    ),
}  # fmt: skip
DATIVE = {"Математика": "математике", "Русский язык": "русскому языку"}
PUPIL_FORMS = (
    "Индивидуальная консультация",
    "Дополнительное занятие",
    "Групповое занятие",
    "Задания онлайн",
    "Занятие с тьютором",
)
CONTROL = {
    "Математика": ("Самостоятельная работа", "Тест", "Проверочная работа", "Устный опрос"),
    "Русский язык": ("Словарный диктант", "Тест", "Проверочная работа", "Диктант с грамматическим заданием"),
}
STEP_RESULTS = (
    "Тема усвоена",
    "Ошибок стало меньше: 4 из 5 заданий верно",
    "Усвоено частично, нужно повторение",
    "Работа выполнена без ошибок",
    "Справился с заданиями базового уровня",
)
CHECKPOINT_NOTES = ("Проверочная работа", "Тематический тест", "Диагностическая работа", "Контрольная работа")
PARTICIPANTS = (
    "Классный руководитель, родители (законные представители)",
    "Классный руководитель, педагог-психолог, родители (законные представители)",
    "Классный руководитель, тьютор, родители (законные представители)",
)
OUTCOME_NOTES = {
    "achieved": "Итоговая проверочная работа: {v} из {m} баллов, цель достигнута; дефициты по темам маршрута "
                "закрыты.",
    "partly": "Итоговая работа: {v} из {m} баллов; закрыта часть дефицитов, остаётся тема «{topic}». "
              "Рекомендовано продолжить работу в следующей четверти.",
    "not_achieved": "Итоговая работа: {v} из {m} баллов, заметной динамики нет. Рекомендованы консультация "
                    "педагога-психолога и пересмотр маршрута.",
}  # fmt: skip
CANCEL_NOTES = (
    "Маршрут отменён: обучающийся переведён в другую школу.",
    "Маршрут отменён по заявлению родителей; работа продолжается на уроках.",
)

YOUNG_DEFICITS = (
    "Самоанализ молодого специалиста: планирование урока по обновлённым ФГОС, организация работы "
    "класса, оценивание, работа с обучающимися с трудностями в обучении."
)
COMPETENCE_DEFICITS = (
    "По результатам диагностики профессиональных дефицитов: формирование функциональной грамотности "
    "обучающихся, анализ результатов ВПР и использование их в работе, дифференцированные задания на уроке.",
    "По результатам самооценки и посещения уроков: формирующее оценивание, работа с обучающимися с рисками "
    "учебной неуспешности, подготовка к ОГЭ обучающихся группы риска.",
)
COMPETENCE_GOAL = (
    "Повышение предметной и методической компетентности (программа антирисковых мер "
    "«Недостаточная предметная и методическая компетентность педагогических работников»)."
)
YOUNG_GOAL = "Профессиональное становление молодого специалиста при поддержке наставника."
YOUNG_STEPS = (
    ("Наставничество", "Посещение уроков наставника, разбор технологической карты урока", "Анализ урока"),
    ("Наставничество", "Совместная разработка уроков по теме четверти", "Технологические карты уроков"),
    ("Семинар", "Школа молодого педагога: формирующее оценивание на уроке", "Участие в семинаре"),
    ("Открытый урок", "Открытый урок для методического объединения", "Самоанализ и анализ урока"),
    ("Самообразование", "Тема самообразования: работа с обучающимися с трудностями в обучении", "Отчёт на МО"),
)
COMPETENCE_STEPS = (
    ("Курсы повышения квалификации", "КПК «Формирование функциональной грамотности обучающихся»",
     "Удостоверение о повышении квалификации"),
    ("Семинар", "Методический семинар «Анализ результатов ВПР и корректировка рабочей программы»",
     "План корректировки рабочей программы"),
    ("Наставничество", "Взаимопосещение уроков с учителем школы-куратора", "Лист наблюдения урока"),
    ("Открытый урок", "Открытый урок с дифференцированными заданиями", "Самоанализ урока"),
    ("Самообразование", "Изучение банка заданий по функциональной грамотности", "Подборка заданий для МО"),
)  # fmt: skip


class _Routes:
    def __init__(self, db: Database, rng: random.Random, today: dt.date):
        self.db, self.rng, self.today = db, rng, today
        self.forms = {name: i for i, name in options(db, "work_form")}
        subjects = {name: i for i, name in options(db, "subject")}
        self.subjects = {name: subjects[name] for name in TOPICS if name in subjects}
        positions = dict(options(db, "position"))
        self.staff = [{**s, "position": positions.get(s["position_id"], "")} for s in rows(db, STAFF) if s["active"]]
        self.counts = {"student_routes": 0, "teacher_routes": 0}

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def teacher_of(self, subject_id: int | None) -> int | None:
        mine = [s["id"] for s in self.staff if subject_id in (s["subjects"] or [])]
        return self.rng.choice(mine) if mine else None

    # ---- pupils --------------------------------------------------------------------------------------------------

    def candidates(self, n: int) -> list[dict]:
        """Pupils to make routes for: those of the databank's active entries in a subject first, then random
        pupils of grades 5–9 in mathematics or Russian."""
        found = self.db.execute(
            "SELECT e.id, e.student_id, e.subject_id, e.responsible_id, e.description, e.assessment_id, "
            "e.identified_on FROM databank_entry e JOIN student s ON s.id = e.student_id WHERE e.status = 'active' "
            "AND s.left_on IS NULL AND e.subject_id IS NOT NULL ORDER BY e.id"
        ).fetchall()
        picked = [
            {"entry_id": e, "student_id": s, "subject_id": subj, "responsible_id": resp, "description": d,
             "assessment_id": a, "identified_on": found_on}
            for e, s, subj, resp, d, a, found_on in found
            if a or subj in self.subjects.values()  # topics are at hand for these
        ]  # fmt: skip
        self.rng.shuffle(picked)
        picked = picked[:n]
        used = {p["student_id"] for p in picked}
        pupils = [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM student WHERE left_on IS NULL AND grade BETWEEN 5 AND 9 ORDER BY id"
            )
            if r[0] not in used
        ]
        for student_id in self.rng.sample(pupils, min(len(pupils), n - len(picked))):
            subject_id = self.rng.choice(list(self.subjects.values())) if self.subjects else None
            picked.append(
                {
                    "entry_id": None,
                    "student_id": student_id,
                    "subject_id": subject_id,
                    "responsible_id": self.teacher_of(subject_id),
                    "description": None,
                    "assessment_id": None,
                    "identified_on": None,
                }
            )
        return picked

    def topics(self, subject_id: int | None, n: int) -> list[str]:
        name = next((k for k, v in self.subjects.items() if v == subject_id), "Математика")
        return self.rng.sample(TOPICS[name], n)

    def subject_name(self, subject_id: int | None) -> str:
        return next((k for k, v in self.subjects.items() if v == subject_id), "Математика")

    def pupil_route(self, pupil: dict, fate: str) -> None:
        """One pupil's route whose story ends in `fate`: draft, active, revision (active, behind the aim line),
        achieved / partly / not_achieved (completed), cancelled."""
        rng, today = self.rng, self.today
        year = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)  # this academic year began
        since = year + dt.timedelta(days=2) if (today - year).days > 65 else today - dt.timedelta(days=110)
        if fate == "draft":
            start = today + dt.timedelta(days=rng.randint(2, 12))
            end = start + dt.timedelta(days=rng.randint(85, 120))
        elif fate in ("active", "revision"):
            start = today - dt.timedelta(days=rng.randint(70, 84) if fate == "revision" else rng.randint(25, 80))
            start, end = max(start, since), today + dt.timedelta(days=rng.randint(20, 140))
        elif fate == "cancelled":
            start = max(since, today - dt.timedelta(days=rng.randint(60, 110)))
            end = start + dt.timedelta(days=rng.randint(100, 130))
        elif (today - year).days > 80 and rng.random() < 0.4:  # a short route of this autumn, already closed
            start = year + dt.timedelta(days=rng.randint(4, 14))
            end = min(today - dt.timedelta(days=3), start + dt.timedelta(days=rng.randint(50, 70)))
        else:  # last academic year's
            start = self.day(dt.date(year.year - 1, 9, 20), dt.date(year.year, 2, 10))
            end = min(dt.date(year.year, 5, 25), start + dt.timedelta(days=rng.randint(60, 110)))
        earliest = (
            dt.date.fromisoformat(pupil["identified_on"]) + dt.timedelta(days=3) if pupil["identified_on"] else start
        )
        if start < earliest:  # a route begins after the difficulty was identified
            start, end = earliest, end + (earliest - start)
            if fate in OUTCOME_FATES and end > today - dt.timedelta(days=3):
                end = today - dt.timedelta(days=3)
                if (end - start).days < 30:
                    fate, end = "active", today + dt.timedelta(days=rng.randint(40, 120))
        subject = self.subject_name(pupil["subject_id"])
        baseline, top = rng.randint(4, 9), MAX_SCORE
        target = min(top, baseline + rng.randint(5, 8))
        topics = self.topics(pupil["subject_id"], rng.randint(3, 5))
        plan = {}
        if pupil["assessment_id"]:  # an entry made from results: its deficits are the steps
            plan = routes.plan_from_results(self.db, pupil["assessment_id"], pupil["student_id"], start, end)["values"]
            deficits = (plan["deficits"] or "").splitlines()[:5]
            top = routes.maximum_score(self.db, plan) or top
            if deficits and plan["baseline"] is not None and plan["target"] is not None:
                topics, baseline, target = deficits, plan["baseline"], plan["target"]
            else:
                plan = {}
        goal = (
            (
                f"Ликвидировать предметные дефициты по {DATIVE[subject]} и выполнить итоговую проверочную работу "
                f"не ниже чем на {_number(target)} баллов из {_number(top)}."
            )
            if subject in DATIVE
            else None
        )
        values = {
            "student_id": pupil["student_id"], "subject_id": pupil["subject_id"],
            "responsible_id": pupil["responsible_id"], "databank_entry_id": pupil["entry_id"],
            "assessment_id": pupil["assessment_id"] if plan else None,
            "goal": plan.get("goal") or goal, "deficits": pupil["description"] or "; ".join(topics),
            "participants": rng.choice(PARTICIPANTS), "start_date": start.isoformat(), "end_date": end.isoformat(),
            "baseline": baseline, "target": target, "status": "draft" if fate == "draft" else "active",
            "consent_on": None if fate == "draft" and rng.random() < 0.5
            else (start - dt.timedelta(days=rng.randint(0, 6))).isoformat(),
        }  # fmt: skip
        route_id = routes.save_route(self.db, routes.STUDENT_ROUTE, values)
        self.counts["student_routes"] += 1
        self.steps(route_id, start, end, topics, subject, fate)
        if fate != "draft":
            self.checkpoints(route_id, start, end, baseline, target, fate, top)
        if fate in OUTCOME_FATES:
            last = routes.checkpoints(self.db, route_id)[-1]["value"]
            note = OUTCOME_NOTES[fate].format(v=_number(last), m=_number(top), topic=topics[-1])
            routes.complete_route(self.db, route_id, fate, note, end.isoformat(), today)
        elif fate == "cancelled":
            routes.save_route(
                self.db,
                routes.STUDENT_ROUTE,
                {"status": "cancelled", "outcome_note": rng.choice(CANCEL_NOTES)},
                route_id,
            )

    def steps(self, route_id: int, start: dt.date, end: dt.date, topics: list[str], subject: str, fate: str) -> None:
        rng, today = self.rng, self.today
        dues = [dt.date.fromisoformat(d) for d in routes.spread_due_dates(start, end, len(topics))]
        late = rng.random() < 0.6  # some routes under way have a step past its date
        for n, (topic, due) in enumerate(zip(topics, dues, strict=True)):
            done = None
            if fate in OUTCOME_FATES:
                done = due if fate != "not_achieved" or rng.random() < 0.7 else None
            elif fate in ("active", "revision", "cancelled") and due < today:
                overdue = late and n == max(i for i, d in enumerate(dues) if d < today)
                done = None if overdue else due - dt.timedelta(days=rng.randint(0, 3))
            if done is not None:
                done = min(max(done, start), today)
            routes.save_step(self.db, {
                "route_id": route_id, "topic": topic,
                "work_form_id": self.forms.get(rng.choice(PUPIL_FORMS)), "due_date": due.isoformat(),
                "control_form": rng.choice(CONTROL[subject]), "done_on": done.isoformat() if done else None,
                "result": rng.choice(STEP_RESULTS) if done else None,
            }, today=today)  # fmt: skip

    def checkpoints(
        self, route_id: int, start: dt.date, end: dt.date, baseline: float, target: float, fate: str, top: float
    ) -> None:
        """Every three weeks or so up to today (or the end): on the aim line with noise, behind it for a route
        that needs revision, ending where the outcome says for a completed one."""
        rng = self.rng
        last_day = min(end, self.today)
        gaps = (18, 21) if fate == "revision" else (18, 26)  # a route behind its aim has three by now
        days, day = [], start + dt.timedelta(days=rng.randint(*gaps))
        while day <= last_day:
            days.append(day)
            day += dt.timedelta(days=rng.randint(*gaps))
        if fate in OUTCOME_FATES and (not days or days[-1] != end):
            days.append(end)  # the final control work on the last day
        span = max(1, (end - start).days)
        for n, day in enumerate(days):
            planned = baseline + (target - baseline) * (day - start).days / span
            if fate == "revision":
                value = planned - rng.uniform(1.5, 3.5)
            elif fate == "achieved":
                value = planned + rng.uniform(-0.5, 1.5)
            elif fate == "partly":
                value = baseline + (planned - baseline) * rng.uniform(0.5, 0.8)
            elif fate == "not_achieved":
                value = baseline + rng.uniform(-1, 1.5)
            else:
                value = planned + rng.uniform(-2.5, 1.5)
            if n == len(days) - 1 and fate == "achieved":
                value = max(value, target)
            elif n == len(days) - 1 and fate in ("partly", "not_achieved"):
                value = min(value, target - 1)  # the outcome says the target was not reached
            value = round(min(top, max(0, value)))
            routes.save_checkpoint(
                self.db,
                {"route_id": route_id, "date": day.isoformat(), "value": value, "note": rng.choice(CHECKPOINT_NOTES)},
                today=self.today,
            )

    def from_entries(self) -> int:
        """A draft or two made in one click from the databank, as the deputy director would."""
        found = self.db.execute(
            "SELECT e.id FROM databank_entry e JOIN student s ON s.id = e.student_id WHERE e.status = 'active' "
            "AND s.left_on IS NULL AND e.id NOT IN (SELECT databank_entry_id FROM learning_route WHERE "
            "databank_entry_id IS NOT NULL) ORDER BY e.id"
        ).fetchall()
        made = 0
        for (entry_id,) in self.rng.sample(found, min(2, len(found))):
            routes.route_from_databank_entry(self.db, entry_id, start=self.today, today=self.today)
            made += 1
        return made

    def from_results(self) -> int:
        """A route made from an assessment's deficits for a weak pupil, when the demo has results by task."""
        found = self.db.execute(
            "SELECT r.assessment_id, r.student_id FROM assessment_result r JOIN assessment a ON a.id = "
            "r.assessment_id JOIN student s ON s.id = r.student_id WHERE r.absent = 0 AND s.left_on IS NULL "
            "AND a.grade BETWEEN 5 AND 9 AND EXISTS (SELECT 1 FROM task_result t WHERE t.result_id = r.id) "
            "AND r.student_id NOT IN (SELECT student_id FROM learning_route WHERE student_id IS NOT NULL) "
            "ORDER BY r.total LIMIT 20"
        ).fetchall()
        made = 0
        for assessment_id, student_id in self.rng.sample(found, min(2, len(found))):
            if routes.pupil_deficits(self.db, assessment_id, student_id):
                routes.route_from_assessment(self.db, assessment_id, student_id, start=self.today, today=self.today)
                made += 1
        return made

    # ---- teachers ------------------------------------------------------------------------------------------------

    def teacher_route(self, teacher: dict, mentor: dict | None, young: bool, fate: str) -> None:
        rng, today = self.rng, self.today
        year = today.year if today.month >= 9 else today.year - 1
        if fate == "achieved":
            start, end = dt.date(year - 1, 9, rng.randint(5, 15)), dt.date(year, 5, rng.randint(20, 29))
        elif fate == "draft":  # starts in a few weeks — or in September, when the summer holidays are that near
            start = today + dt.timedelta(days=rng.randint(3, 20))
            end = dt.date(year + 1, 5, 29)
            if (end - start).days < 60:
                start, end = dt.date(year + 1, 9, rng.randint(2, 15)), dt.date(year + 2, 5, 29)
        else:
            hired = dt.date.fromisoformat(teacher["hired_on"])
            start = min(max(dt.date(year, 9, rng.randint(2, 15)), hired), today - dt.timedelta(days=30))
            end = dt.date(year + 1, 5, rng.randint(20, 29))
        route_id = routes.save_route(self.db, routes.TEACHER_ROUTE, {
            "teacher_id": teacher["id"], "mentor_id": mentor["id"] if mentor else None,
            "deficits": YOUNG_DEFICITS if young else rng.choice(COMPETENCE_DEFICITS),
            "goal": YOUNG_GOAL if young else COMPETENCE_GOAL,
            "start_date": start.isoformat(), "end_date": end.isoformat(),
            "status": "draft" if fate == "draft" else "active",
        })  # fmt: skip
        self.counts["teacher_routes"] += 1
        plan = YOUNG_STEPS if young else COMPETENCE_STEPS
        dues = [dt.date.fromisoformat(d) for d in routes.spread_due_dates(start, end, len(plan))]
        for (form, topic, control), due in zip(plan, dues, strict=True):
            done = None
            if fate == "achieved" or (fate == "active" and due < today and rng.random() < 0.85):
                done = min(today, due)
            routes.save_step(self.db, {
                "route_id": route_id, "topic": topic, "work_form_id": self.forms.get(form),
                "due_date": due.isoformat(), "control_form": control, "done_on": done.isoformat() if done else None,
                "result": "Выполнено" if done else None,
            }, today=today)  # fmt: skip
            if done and form == "Курсы повышения квалификации":  # the course finished lands in the PD registry
                records.save(self.db, PD_COURSE, {
                    "staff_id": teacher["id"], "title": topic.removeprefix("КПК ").strip("«»"),
                    "provider": "ГАУ ДПО «Институт развития образования»", "hours": 36,
                    "start_date": (done - dt.timedelta(days=12)).isoformat(), "end_date": done.isoformat(),
                    "certificate_number": f"ИРО-{rng.randint(10000, 99999)}",
                })  # fmt: skip
        if fate == "achieved":
            routes.complete_route(
                self.db,
                route_id,
                "achieved",
                "Все шаги маршрута выполнены; открытый урок получил положительную оценку методического объединения.",
                end.isoformat(),
                today,
            )

    def teachers(self) -> None:
        teachers = [s for s in self.staff if s["subjects"] and s["hired_on"] and s["position"].startswith("Учитель")]
        young = [s for s in teachers if s["young_specialist"]]
        experienced = [s for s in teachers if not s["young_specialist"]]
        for person in young[:4]:
            same = [s for s in experienced if set(s["subjects"]) & set(person["subjects"])]
            mentor = self.rng.choice(same or experienced) if (same or experienced) else None
            self.teacher_route(person, mentor, True, "active")
        core = [s for s in experienced if set(s["subjects"]) & set(self.subjects.values())]
        chosen = self.rng.sample(core, min(4, len(core)))
        for n, person in enumerate(chosen):
            fate = ("active", "achieved", "active", "draft")[n]
            others = [s for s in experienced if s is not person and set(s["subjects"]) & set(person["subjects"])]
            mentor = self.rng.choice(others) if others and self.rng.random() < 0.6 else None
            self.teacher_route(person, mentor, False, fate)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value).replace(".", ",")


def build_routes(db: Database, rng: random.Random, today: dt.date) -> dict[str, int]:
    """Demo routes of pupils and teachers; runs inside the caller's transaction. Returns counts: student_routes,
    teacher_routes, route_steps, route_checkpoints, routes_needing_revision, route_steps_overdue."""
    maker = _Routes(db, rng, today)
    pupils_total = db.execute("SELECT count(*) FROM student WHERE left_on IS NULL").fetchone()[0]
    n = max(12, min(80, pupils_total // 16))
    fates = ["draft", "active", "revision", "achieved", "partly", "not_achieved", "cancelled"]
    weights = {"draft": 1, "active": 4, "revision": 2, "achieved": 3, "partly": 2, "not_achieved": 1, "cancelled": 1}
    while len(fates) < n:
        fates.append(rng.choices(list(weights), list(weights.values()))[0])
    for pupil, fate in zip(maker.candidates(n), fates, strict=False):
        maker.pupil_route(pupil, fate)
    maker.counts["student_routes"] += maker.from_entries() + maker.from_results()
    maker.teachers()
    attention = routes.attention(db, today)
    return {
        **maker.counts,
        "route_steps": db.execute("SELECT count(*) FROM route_step").fetchone()[0],
        "route_checkpoints": db.execute("SELECT count(*) FROM route_checkpoint").fetchone()[0],
        "routes_needing_revision": len(attention["revision"]),
        "route_steps_overdue": len(routes.overdue_steps(db, today)),
    }
