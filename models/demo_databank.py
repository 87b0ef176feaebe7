"""Demo marks, assessments and the databank of pupils with learning difficulties (seed 000 #16 and #21, seed 001
#6, seed 003: entrance control works and subject deficits).

- Term marks of every class in its subjects for the previous academic year and the finished terms of this one, so
  that analytics shows a year of dynamics: one latent ability per pupil, a tilt towards mathematics or the
  humanities, the class, the grade, the subject and the term move it; "2"s gather among the weakest.
- Works with per-task results: entrance control works in September (mathematics and Russian, grades 5–9), last
  spring's ВПР (grades 4–8), a mock ОГЭ in mathematics (grade 9) and a mock ЕГЭ in Russian (grade 11). A pupil's
  points follow their ability and the task's difficulty, so the hard skills come out as class deficits.
- The databank: entries of every category with a dated support log, statuses and a few restricted notes; the
  entries of academic failure and of the GIA risk group are proposed from results as the page does it.

Every record goes through `models.records.save` and the assessments module's writers, inside the caller's
transaction. The Russian texts are seeded demo data, not interface text.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import NamedTuple

from models import assessments, records
from models.databank import DATABANK_ENTRY, SUPPORT_ENTRY
from models.db import Database
from models.records import options, rows
from models.school import STAFF, academic_year_start

# ---- subjects and abilities -----------------------------------------------------------------------------------

RUSSIAN, MATH, FOREIGN = "Русский язык", "Математика", "Иностранный язык (английский)"
# +1 leans on the mathematical side of a pupil, -1 on the humanities, 0 on neither.
SIDE = {
    "Математика": 1, "Алгебра": 1, "Геометрия": 1, "Физика": 1, "Химия": 1, "Русский язык": -1, "Литература": -1,
    "Литературное чтение": -1, FOREIGN: -1, "История": -1, "Обществознание": -1, "Биология": 0,
    "Окружающий мир": 0,
}  # fmt: skip
EASE = {  # how the subject's teachers mark, on the ability scale: below zero, marks are lower
    "Математика": -0.1, "Алгебра": -0.25, "Геометрия": -0.3, "Физика": -0.2, "Химия": -0.25, "Русский язык": -0.2,
    "Литература": 0.15, "Литературное чтение": 0.4, FOREIGN: 0.0, "История": 0.05, "Обществознание": 0.1,
    "Биология": 0.05, "Окружающий мир": 0.35,
}  # fmt: skip
GRADE_EASE = {2: 0.55, 3: 0.45, 4: 0.35, 5: 0.1, 6: 0.0, 7: -0.15, 8: -0.2, 9: -0.15, 10: 0.15, 11: 0.2}
TERM_EASE = {1: -0.05, 2: 0.0, 3: -0.08, 4: 0.05}
CUTS = (-2.4, -0.3, 1.1)  # latent score below the first: "2", below the second: "3", below the third: "4"


def subjects_of(grade: int) -> tuple[str, ...]:
    """The subjects with term marks in a grade (physical education, arts and the like are left out)."""
    if grade <= 4:
        return (RUSSIAN, "Литературное чтение", MATH, "Окружающий мир") + ((FOREIGN,) if grade >= 2 else ())
    found = [RUSSIAN, "Литература", FOREIGN]
    found += [MATH] if grade <= 6 else ["Алгебра", "Геометрия"]
    found += ["История"] + (["Обществознание"] if grade >= 6 else []) + ["Биология"]
    found += (["Физика"] if grade >= 7 else []) + (["Химия"] if grade >= 8 else [])
    return tuple(found)


# ---- works with tasks: (skill as ВПР specifications word it, max points, difficulty) --------------------------

Task = tuple[str, int, float]
BANKS: dict[tuple[str, int], tuple[Task, ...]] = {
    (MATH, 4): (
        ("Выполнение арифметических действий с числами", 1, -1.2),
        ("Вычисление значения числового выражения (порядок действий)", 1, -0.5),
        ("Решение текстовых задач в одно-два действия", 2, -0.3),
        ("Единицы измерения величин: время", 1, 0.1),
        ("Вычисление периметра и площади прямоугольника", 2, 0.2),
        ("Чтение и анализ таблиц и диаграмм", 2, -0.3),
        ("Вычисления с многозначными числами", 1, -0.4),
        ("Решение текстовых задач в три-четыре действия", 2, 0.9),
        ("Логические рассуждения: истинные и ложные утверждения", 2, 0.5),
        ("Пространственное мышление: фигуры на клетчатой бумаге", 1, 0.3),
        ("Нахождение доли величины и величины по её доле", 1, 0.6),
        ("Логическая задача повышенной сложности", 2, 1.6),
    ),
    (MATH, 5): (
        ("Понятие натурального числа, делимость", 1, -0.8),
        ("Действия с обыкновенными дробями", 1, 0.8),
        ("Десятичные дроби: сравнение и действия", 1, 0.2),
        ("Нахождение части числа и числа по его части", 1, 0.6),
        ("Единицы измерения длины, массы, времени", 1, -0.2),
        ("Чтение и анализ диаграмм", 2, -0.4),
        ("Вычисление значения числового выражения", 1, -0.3),
        ("Решение текстовых задач на движение", 2, 0.9),
        ("Решение текстовых задач на покупки и стоимость", 1, 0.1),
        ("Наглядная геометрия: построение фигур на клетчатой бумаге", 1, 0.0),
        ("Площадь и периметр прямоугольника", 2, 0.3),
        ("Логическая задача", 2, 1.6),
    ),
    (MATH, 6): (
        ("Делимость натуральных чисел", 1, -0.5),
        ("Действия с обыкновенными дробями", 1, 0.7),
        ("Действия с десятичными дробями", 1, 0.2),
        ("Положительные и отрицательные числа, координатная прямая", 1, 0.1),
        ("Нахождение процента от числа", 1, 0.5),
        ("Решение текстовых задач на проценты", 2, 1.1),
        ("Чтение и анализ диаграмм", 1, -0.3),
        ("Вычисление значения буквенного выражения", 1, 0.3),
        ("Решение простейших уравнений", 1, 0.2),
        ("Единицы измерения величин, прикидка и оценка", 1, 0.0),
        ("Наглядная геометрия: симметрия фигур", 1, 0.4),
        ("Текстовая задача практического содержания", 2, 0.9),
        ("Логическая задача", 2, 1.6),
    ),
    (MATH, 7): (
        ("Действия с обыкновенными и десятичными дробями", 1, 0.5),
        ("Положительные и отрицательные числа", 1, 0.0),
        ("Решение текстовых задач на проценты", 1, 1.0),
        ("Чтение и анализ таблиц и диаграмм", 1, -0.4),
        ("Решение линейных уравнений", 1, 0.2),
        ("Преобразование буквенных выражений", 1, 0.5),
        ("Чтение графика линейной функции", 1, 0.3),
        ("Степень с натуральным показателем", 1, 0.2),
        ("Статистические характеристики: среднее арифметическое, медиана", 1, 0.5),
        ("Решение текстовых задач на движение и работу", 2, 1.0),
        ("Смежные и вертикальные углы", 1, 0.3),
        ("Признаки равенства треугольников", 2, 1.2),
        ("Свойства параллельных прямых", 1, 0.6),
        ("Текстовая задача практического содержания", 2, 0.9),
        ("Логическая задача", 2, 1.7),
    ),
    (MATH, 8): (
        ("Действия с рациональными числами", 1, 0.2),
        ("Квадратные корни: преобразование выражений", 1, 0.6),
        ("Решение квадратных уравнений", 1, 0.5),
        ("Решение систем линейных уравнений", 1, 0.6),
        ("Чтение графиков функций", 1, 0.3),
        ("Решение текстовых задач на проценты", 1, 1.0),
        ("Элементы теории вероятностей", 1, 0.4),
        ("Чтение и анализ диаграмм", 1, -0.3),
        ("Формулы сокращённого умножения", 1, 0.8),
        ("Теорема Пифагора", 1, 0.5),
        ("Площади многоугольников", 1, 0.7),
        ("Свойства четырёхугольников", 1, 0.6),
        ("Решение текстовых задач на движение", 2, 1.1),
        ("Геометрическая задача на доказательство", 2, 1.6),
        ("Логическая задача", 2, 1.7),
    ),
    (RUSSIAN, 4): (
        ("Диктант: орфографические нормы", 4, 0.3),
        ("Диктант: пунктуационные нормы", 3, 0.4),
        ("Синтаксический разбор: главные и второстепенные члены предложения", 2, 0.3),
        ("Морфологический разбор: части речи", 3, 0.2),
        ("Орфоэпические нормы: постановка ударения", 1, 0.0),
        ("Основная мысль текста", 2, 0.5),
        ("Составление плана текста", 3, 0.7),
        ("Ответы на вопросы по содержанию текста", 2, 0.2),
        ("Лексическое значение слова", 1, 0.1),
        ("Подбор синонимов", 1, -0.1),
        ("Состав слова: корень, приставка, суффикс", 1, 0.2),
        ("Морфологические признаки имени существительного", 2, 0.3),
        ("Морфологические признаки имени прилагательного", 2, 0.4),
        ("Орфография: безударные гласные в корне слова", 1, 0.4),
        ("Интерпретация пословицы в жизненной ситуации", 2, 1.3),
    ),
    (RUSSIAN, 5): (
        ("Диктант: орфография", 4, 0.5),
        ("Диктант: пунктуация", 3, 0.6),
        ("Морфемный разбор слова", 1, 0.5),
        ("Морфологический разбор слова", 3, 0.6),
        ("Синтаксический разбор предложения", 3, 0.4),
        ("Орфоэпические нормы", 1, 0.0),
        ("Распознавание частей речи", 2, 0.1),
        ("Пунктуация при однородных членах предложения", 2, 0.7),
        ("Пунктуация при обращении и прямой речи", 2, 1.0),
        ("Основная мысль текста", 2, 0.6),
        ("Составление плана текста", 2, 0.5),
        ("Лексическое значение слова", 2, 0.1),
    ),
    (RUSSIAN, 6): (
        ("Диктант: орфографические нормы", 4, 0.5),
        ("Диктант: пунктуационные нормы", 3, 0.6),
        ("Морфемный и словообразовательный разбор", 3, 0.7),
        ("Морфологический разбор слова", 3, 0.6),
        ("Синтаксический разбор предложения", 3, 0.4),
        ("Орфоэпические нормы", 2, 0.1),
        ("Распознавание частей речи", 2, 0.2),
        ("Пунктуация в сложном предложении", 2, 1.0),
        ("Пунктуация при прямой речи", 2, 0.8),
        ("Основная мысль текста", 2, 0.6),
        ("Лексическое значение слова, синонимы", 2, 0.3),
        ("Фразеологизмы", 2, 0.4),
        ("Орфография: правописание приставок", 1, 0.5),
        ("Орфография: правописание корней", 1, 0.7),
    ),
    (RUSSIAN, 7): (
        ("Диктант: орфографические нормы", 4, 0.5),
        ("Диктант: пунктуационные нормы", 3, 0.6),
        ("Морфемный и словообразовательный разбор", 2, 0.7),
        ("Морфологический разбор причастия и деепричастия", 3, 0.8),
        ("Орфоэпические нормы", 2, 0.1),
        ("Грамматические нормы: употребление причастного оборота", 2, 0.6),
        ("Пунктуация при причастном обороте", 2, 0.9),
        ("Пунктуация при деепричастном обороте", 2, 1.0),
        ("Орфография: Н и НН в причастиях", 1, 0.9),
        ("Правописание НЕ с причастиями и деепричастиями", 1, 0.6),
        ("Основная мысль текста", 2, 0.5),
        ("Лексическое значение слова", 1, 0.1),
        ("Стилистическая окраска слова", 1, 0.5),
        ("Интерпретация пословицы", 2, 1.2),
    ),
    (RUSSIAN, 8): (
        ("Диктант: орфографические нормы", 4, 0.5),
        ("Диктант: пунктуационные нормы", 3, 0.6),
        ("Морфемный и словообразовательный разбор", 2, 0.6),
        ("Морфологический разбор слова", 3, 0.6),
        ("Синтаксический разбор предложения", 3, 0.5),
        ("Орфоэпические нормы", 2, 0.1),
        ("Грамматические нормы: согласование и управление", 2, 0.7),
        ("Пунктуация при обособленных членах предложения", 2, 1.0),
        ("Пунктуация в сложном предложении", 2, 1.1),
        ("Орфография: правописание суффиксов наречий", 1, 0.7),
        ("Слитное и раздельное написание НЕ с разными частями речи", 1, 0.6),
        ("Основная мысль текста", 2, 0.5),
        ("Средства выразительности речи", 2, 0.8),
        ("Лексическое значение слова", 1, 0.1),
        ("Фразеологизмы", 1, 0.4),
    ),
}  # fmt: skip
MOCK_OGE: tuple[Task, ...] = (  # part 1 of the ОГЭ and the first task of part 2, as a school mock runs it
    ("Практико-ориентированная задача: чтение плана местности", 1, -0.3),
    ("Практико-ориентированная задача: вычисления по плану", 1, 0.2),
    ("Практико-ориентированная задача: площади и расстояния", 1, 0.7),
    ("Практико-ориентированная задача: расчёт стоимости", 1, 0.5),
    ("Практико-ориентированная задача: выбор оптимального тарифа", 1, 1.0),
    ("Действия с обыкновенными и десятичными дробями", 1, 0.0),
    ("Числовая прямая, сравнение чисел", 1, -0.2),
    ("Степени и квадратные корни", 1, 0.3),
    ("Решение уравнений", 1, 0.0),
    ("Элементы теории вероятностей", 1, 0.1),
    ("Графики функций", 1, 0.3),
    ("Расчёты по формулам", 1, -0.1),
    ("Решение неравенств и их систем", 1, 0.4),
    ("Арифметическая и геометрическая прогрессии", 1, 0.8),
    ("Треугольники: вычисление элементов", 1, 0.6),
    ("Окружность и её элементы", 1, 0.9),
    ("Четырёхугольники: вычисление элементов", 1, 0.5),
    ("Фигуры на квадратной решётке", 1, 0.0),
    ("Анализ геометрических утверждений", 1, 0.3),
    ("Алгебраические выражения, уравнения, неравенства (задание части 2)", 2, 1.8),
)
MOCK_EGE: tuple[Task, ...] = (  # the tasks of the ЕГЭ most schools rehearse, and the essay
    ("Информационная обработка текста: основная мысль", 1, -0.2),
    ("Орфоэпические нормы (постановка ударения)", 1, 0.3),
    ("Лексические нормы: употребление паронимов", 1, 0.6),
    ("Морфологические нормы (образование форм слова)", 1, 0.4),
    ("Синтаксические нормы: грамматические ошибки", 2, 0.8),
    ("Орфография: правописание корней", 1, 0.5),
    ("Орфография: правописание приставок", 1, 0.5),
    ("Правописание суффиксов различных частей речи", 1, 0.7),
    ("Личные окончания глаголов и суффиксы причастий", 1, 0.9),
    ("Правописание НЕ с разными частями речи", 1, 0.4),
    ("Правописание Н и НН в суффиксах", 1, 0.9),
    ("Пунктуация в простом осложнённом предложении (однородные члены)", 2, 0.6),
    ("Пунктуация при обособленных членах предложения", 1, 0.8),
    ("Знаки препинания при вводных словах и обращениях", 1, 0.5),
    ("Пунктуация в сложноподчинённом предложении", 1, 0.9),
    ("Пунктуация в сложном предложении с разными видами связи", 1, 1.3),
    ("Типы речи, смысловые отношения в тексте", 1, 0.6),
    ("Лексическое значение слова в тексте", 1, 0.2),
    ("Средства выразительности речи", 4, 0.9),
    ("Сочинение-рассуждение по прочитанному тексту", 22, 0.3),
)
# Minimum share of the max score for a 3, a 4 and a 5, in the manner of ВПР's conversion scales.
SCALES = {MATH: (0.34, 0.6, 0.83), RUSSIAN: (0.38, 0.65, 0.87)}
TITLES = {
    ("entrance", MATH): "Входная контрольная работа по математике",
    ("entrance", RUSSIAN): "Входная контрольная работа по русскому языку",
    ("vpr", MATH): "ВПР по математике",
    ("vpr", RUSSIAN): "ВПР по русскому языку",
    ("mock", MATH): "Пробный ОГЭ по математике",
    ("mock", RUSSIAN): "Пробный ЕГЭ по русскому языку",
}
ABSENT = 0.06  # the share of a class that misses a work

# ---- the databank ---------------------------------------------------------------------------------------------

ACADEMIC, GIA = assessments.ACADEMIC_CATEGORY, assessments.GIA_CATEGORY
MOTIVATION, OVZ, ADAPTATION = "Низкая учебная мотивация", "ОВЗ", "Трудности адаптации, поведение"
LANGUAGE, SOCIAL, ABSENCE, GIFTED = "Языковой барьер", "Социальный риск", "Длительное отсутствие", "Одарённость"
DATIVE = {
    "Русский язык": "русскому языку", "Литературное чтение": "литературному чтению", "Литература": "литературе",
    "Математика": "математике", "Алгебра": "алгебре", "Геометрия": "геометрии", FOREIGN: "английскому языку",
    "История": "истории", "Обществознание": "обществознанию", "Биология": "биологии", "Физика": "физике",
    "Химия": "химии", "Окружающий мир": "окружающему миру",
}  # fmt: skip
MOTIVATION_TEXTS = (
    "Диагностика уровня сформированности учебной мотивации (методика М. И. Лукьяновой, Н. В. Калининой), "
    "{grade} класс: низкий уровень, преобладает внешняя мотивация. Систематически не выполняет домашние задания.",
    "Диагностика мотивации учения (методика Н. Ц. Бадмаевой): низкий уровень познавательной мотивации. Снижение "
    "успеваемости по нескольким предметам, пассивность на уроках.",
    "Классный руководитель отмечает отказ от работы на уроках и пропуски без уважительной причины; диагностика "
    "педагога-психолога подтвердила низкий уровень учебной мотивации.",
)
ADAPTATION_TEXTS = {
    1: "Трудности адаптации к школе: повышенная утомляемость, не удерживает внимание на уроке, тревожность "
       "(наблюдение учителя, диагностика адаптации первоклассников).",
    5: "Трудности адаптации при переходе в основную школу: тревожность, конфликты с одноклассниками, снижение "
       "успеваемости по сравнению с начальной школой.",
    10: "Трудности адаптации в 10 классе: новый коллектив, высокая тревожность, неуверенность в выборе профиля.",
    0: "Нарушения дисциплины на уроках, конфликты с одноклассниками; обсуждалось на совете профилактики.",
    -1: "Прибыл{a} из другой школы в текущем учебном году: трудности адаптации в классе, расхождение программ "
        "по {subjects}.",
}  # fmt: skip
SOCIAL_TEXTS = (
    "Семья в трудной жизненной ситуации: многодетная малообеспеченная семья, ребёнок часто приходит без "
    "учебных принадлежностей.",
    "Недостаточный контроль со стороны родителей за учёбой и досугом; родители редко выходят на связь.",
    "Ребёнок проживает с бабушкой, родители работают вахтовым методом; помощь в подготовке уроков не оказывается.",
)
RESTRICTED_SOCIAL = (
    "Семья состоит на учёте в КДН и ЗП (демонстрационные сведения).",
    "Опекаемый ребёнок; опекун — бабушка. Акт обследования жилищно-бытовых условий хранится у социального педагога.",
    "Семья на внутришкольном учёте; сведения о доходах семьи — у социального педагога.",
)
ABSENCE_TEXTS = (
    "Пропустил{a} {lessons} с начала учебного года по болезни (лечение в стационаре); пробелы по математике и "
    "русскому языку.",
    "Длительное отсутствие по семейным обстоятельствам: {lessons} с начала учебного года; риск неаттестации по "
    "двум предметам.",
    "Частые пропуски по болезни: {lessons} с начала учебного года; индивидуальный график ликвидации пробелов.",
)
RESTRICTED_ABSENCE = "Длительное лечение; сведения о диагнозе — у медицинского работника школы."
OVZ_TEXTS = (
    "{pupil} с ОВЗ (задержка психического развития), обучение по АООП {level}, вариант 7.1.",
    "{pupil} с ОВЗ (тяжёлые нарушения речи), обучение по АООП {level}, вариант 5.1.",
    "{pupil} с ОВЗ: рекомендовано создание специальных условий при проведении оценочных процедур.",
)
RESTRICTED_OVZ = "Заключение ТПМПК хранится в личном деле обучающегося; в открытых документах диагноз не указывать."
GIFTED_TEXTS = (
    "Победитель школьного этапа всероссийской олимпиады школьников по {dative}; высокий уровень выполнения "
    "заданий повышенной сложности.",
    "Призёр муниципального этапа всероссийской олимпиады школьников по {dative} прошлого учебного года.",
    "Высокие результаты ВПР по {dative}, выполнены все задания повышенного уровня; рекомендовано участие в олимпиадах.",
)
LANGUAGE_TEXT = (
    "Русский язык не родной, в семье говорят на другом языке: трудности в понимании учебных текстов и "
    "формулировок заданий, ограниченный словарный запас."
)
OUTCOMES = {
    ACADEMIC: (
        "По итогам {term} четверти по {dative} «3», пробелы по темам восполнены.",
        "Итоговая проверочная работа выполнена на «3», задолженность ликвидирована.",
    ),
    GIA: ("Повторный пробный экзамен выполнен выше минимального порога.",),
    MOTIVATION: ("Повторная диагностика: средний уровень учебной мотивации, посещает кружок.",),
    ADAPTATION: ("Повторная диагностика: адаптация завершена, конфликтов нет.",),
    SOCIAL: ("Ситуация в семье стабилизировалась, семья снята с внутришкольного учёта.",),
    ABSENCE: ("Пробелы восполнены по индивидуальному графику, аттестован{a} по всем предметам.",),
}
CLOSED = (
    "Выбыл{a} в другую образовательную организацию.",
    "Запись закрыта: оснований для сопровождения нет (повторное решение ППк).",
)


class Pupil(NamedTuple):
    id: int
    grade: int
    letter: str
    enrolled_on: str
    left_on: str | None
    gender: str

    @property
    def forms(self) -> dict[str, str]:
        """Words of the texts that agree with the pupil's gender: "прибыл{a}", "{pupil} с ОВЗ"."""
        if self.gender == "f":
            return {"a": "а", "pupil": "Обучающаяся", "with_pupil": "с обучающейся"}
        return {"a": "", "pupil": "Обучающийся", "with_pupil": "с обучающимся"}


def _count(n: int, one: str, few: str, many: str) -> str:
    """'21 урок', '42 урока', '35 уроков'."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} {few}"
    return f"{n} {many}"


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class _Databank:
    def __init__(self, db: Database, rng: random.Random, today: dt.date, small: bool):
        self.db, self.rng, self.today, self.small = db, rng, today, small
        # The databank refuses dates after the real today; a demo that pretends a later day keeps its dates there.
        self.latest = min(today, dt.date.today())
        self.year = academic_year_start(today)
        self.subjects = {name: i for i, name in options(db, "subject")}
        self.categories = {name: i for i, name in options(db, "difficulty_category")}
        self.pupils = [
            Pupil(*r)
            for r in db.execute(
                "SELECT id, grade, coalesce(letter, ''), enrolled_on, left_on, gender FROM student ORDER BY id"
            )
        ]
        self.terms = {  # (academic year's first calendar year, term number) → (term id, start, end)
            (int(start[:4]) if int(start[5:7]) >= 9 else int(start[:4]) - 1, n): (i, start, end)
            for i, n, start, end in db.execute("SELECT id, number, start_date, end_date FROM term ORDER BY start_date")
        }
        self.counts = dict.fromkeys(
            ("assessments", "assessment_results", "term_marks", "databank_entries", "support_entries"), 0
        )
        self._abilities()
        self._staff()

    # ---- people ---------------------------------------------------------------------------------------------------

    def _abilities(self) -> None:
        """A latent ability per pupil and academic year, a mathematical or humanities tilt, per-subject residues."""
        rng = self.rng
        self.ability: dict[tuple[int, int], float] = {}
        self.tilt: dict[int, float] = {}
        self.residue: dict[tuple[int, str], float] = {}
        subjects = sorted(SIDE)
        for p in self.pupils:
            base = rng.gauss(0, 1) if rng.random() > 0.05 else rng.gauss(-1.9, 0.4)  # a few much weaker pupils
            self.ability[(p.id, self.year)] = base
            self.ability[(p.id, self.year - 1)] = base - rng.gauss(0.05, 0.22)
            self.tilt[p.id] = rng.gauss(0, 0.35)
            for s in subjects:
                self.residue[(p.id, s)] = rng.gauss(0, 0.3)
        self.classes: dict[tuple[int, str], list[Pupil]] = {}
        for p in self.pupils:
            self.classes.setdefault((p.grade, p.letter), []).append(p)
        self.class_ease = {k: rng.gauss(0, 0.15) for k in sorted(self.classes)}

    def level(self, pupil: Pupil, subject: str, year: int) -> float:
        """The pupil's standing in a subject that year, on the latent scale (about 0 ± 1)."""
        return (
            self.ability[(pupil.id, year)]
            + SIDE.get(subject, 0) * self.tilt[pupil.id]
            + self.residue.get((pupil.id, subject), 0.0)
            + self.class_ease[(pupil.grade, pupil.letter)]
        )

    def _staff(self) -> None:
        positions = dict(options(self.db, "position"))
        staff = [{**s, "position": positions.get(s["position_id"], "")} for s in rows(self.db, STAFF) if s["active"]]

        def holding(position: str) -> list[int]:
            return [s["id"] for s in staff if s["position"] == position]

        self.psychologists = holding("Педагог-психолог") or holding("Заместитель директора по УВР")
        self.social = holding("Социальный педагог") or self.psychologists
        self.speech = holding("Учитель-логопед") or self.psychologists
        self.deputy = (holding("Заместитель директора по УВР") or self.psychologists)[0]
        by_subject: dict[int, list[int]] = {}
        for s in staff:
            for subject_id in s["subjects"] or []:
                by_subject.setdefault(subject_id, []).append(s["id"])
        primary = holding("Учитель начальных классов")
        teachers = holding("Учитель")
        rng = self.rng
        self.class_teacher: dict[tuple[int, str], int] = {}
        upper = sorted(k for k in self.classes if k[0] >= 5)
        pool = rng.sample(teachers, min(len(teachers), len(upper))) if teachers else [self.deputy]
        for n, key in enumerate(sorted(k for k in self.classes if k[0] <= 4)):
            self.class_teacher[key] = primary[n % len(primary)] if primary else self.deputy
        for n, key in enumerate(upper):
            self.class_teacher[key] = pool[n % len(pool)]
        self.teacher: dict[tuple[int, str, str], int] = {}  # (grade, letter, subject) → who teaches it
        for grade, letter in sorted(self.classes):
            for subject in (*subjects_of(grade), MATH):
                if grade <= 4 and subject != FOREIGN:
                    who = self.class_teacher[(grade, letter)]
                else:
                    who = rng.choice(by_subject.get(self.subjects.get(subject), []) or [self.deputy])
                self.teacher[(grade, letter, subject)] = who

    def present(self, pupil: Pupil, day: str) -> bool:
        """At the school on that day (and long enough before it to be marked)."""
        joined = (dt.date.fromisoformat(pupil.enrolled_on) + dt.timedelta(days=14)).isoformat()
        return joined <= day and (pupil.left_on is None or pupil.left_on > day)

    # ---- term marks -----------------------------------------------------------------------------------------------

    def term_marks(self) -> dict[tuple[int, int], int]:
        """Marks of the previous academic year's four terms and this year's finished ones; returns the marks of the
        latest finished term by (pupil, subject) for the databank."""
        rng, latest = self.rng, {}
        finished = [
            (year, n) for (year, n), (_i, _s, end) in sorted(self.terms.items())
            if year in (self.year - 1, self.year) and end < self.today.isoformat()
        ]  # fmt: skip
        for year, number in finished:
            term_id, _start, end = self.terms[(year, number)]
            shift = self.year - year
            for (grade, letter), pupils in sorted(self.classes.items()):
                then = grade - shift
                if then < 2 or then == 2 and number == 1:  # no marks in grade 1, nor in grade 2's first term
                    continue
                present = [p for p in pupils if self.present(p, end)]
                if not present:
                    continue
                ease = GRADE_EASE[then] + TERM_EASE[number] + (0.0 if shift == 0 else -0.08)
                for subject in subjects_of(then):
                    subject_id = self.subjects.get(subject)
                    if subject_id is None:
                        continue
                    marks = []
                    for p in present:
                        z = self.level(p, subject, year) + EASE[subject] + ease + rng.gauss(0, 0.3)
                        mark = 2 + sum(z >= c for c in CUTS)
                        marks.append({"student_id": p.id, "mark": mark})
                        if (year, number) == finished[-1]:
                            latest[(p.id, subject_id)] = mark
                    assessment_id = assessments.save_assessment(self.db, {
                        "kind": "term_marks", "subject_id": subject_id, "grade": then, "class_letter": letter or None,
                        "date": end, "term_id": term_id,
                    })  # fmt: skip
                    self.marks(assessment_id, marks)
                    self.counts["assessments"] += 1
                    self.counts["term_marks"] += len(marks)
        self.latest_term = finished[-1] if finished else None
        return latest

    def marks(self, assessment_id: int, marks: list[dict]) -> None:
        """Write a class's term marks: every row checked by the result record's rules, then inserted at once.

        `assessments.save_results` reads the whole pupil list on every call (5 ms with 2,000 pupils); for the
        thousands of term mark lists of the large school that alone would take longer than the rest of the demo.
        Term marks have no tasks, so the record's own rules are all that applies to them.
        """
        clean = [
            records.validate(assessments.ASSESSMENT_RESULT, {**m, "assessment_id": assessment_id, "absent": False})
            for m in marks
        ]
        self.db.conn.executemany(
            "INSERT INTO assessment_result (assessment_id, student_id, total, mark, absent) VALUES (?, ?, ?, ?, ?)",
            [(r["assessment_id"], r["student_id"], r["total"], r["mark"], r["absent"]) for r in clean],
        )

    # ---- works with tasks -----------------------------------------------------------------------------------------

    def work(
        self,
        kind: str,
        subject: str,
        grade: int,
        letter: str | None,
        day: dt.date,
        tasks: tuple[Task, ...],
        pupils: list[Pupil],
        year: int,
        shift: float = 0.0,
    ) -> dict | None:
        """One work with its tasks and every pupil's points: {id, kind, subject, grade} (None if nobody was there)."""
        rng, iso = self.rng, day.isoformat()
        pupils = [p for p in pupils if self.present(p, iso)]
        subject_id = self.subjects.get(subject)
        if not pupils or subject_id is None:
            return None
        total = sum(points for _skill, points, _d in tasks)
        low, mid, high = SCALES[subject]
        assessment_id = assessments.save_assessment(self.db, {
            "kind": kind, "subject_id": subject_id, "grade": grade, "class_letter": letter, "date": iso,
            "mark3": round(total * low), "mark4": round(total * mid), "mark5": round(total * high),
            "title": TITLES[(kind, subject)],
        })  # fmt: skip
        # A class's own gaps: the same skill is harder in one class than in another.
        gaps = [difficulty + rng.gauss(0, 0.35) for _skill, _points, difficulty in tasks]
        for number, (skill, points, _d) in enumerate(tasks, start=1):
            records.save(self.db, assessments.ASSESSMENT_TASK, {
                "assessment_id": assessment_id, "number": number, "max_points": points, "skill": skill,
            })  # fmt: skip
        results = []
        for p in pupils:
            if rng.random() < ABSENT:
                results.append({"student_id": p.id, "absent": True})
                continue
            z = self.level(p, subject, year) + shift + rng.gauss(0, 0.25)
            scored = {}
            for number, ((_skill, points, _d), gap) in enumerate(zip(tasks, gaps), start=1):
                chance = _sigmoid(0.8 * z + 0.85 - gap)
                scored[number] = sum(rng.random() < chance for _n in range(points))
            results.append({"student_id": p.id, "points": scored})
        assessments.save_results(self.db, assessment_id, results)
        self.counts["assessments"] += 1
        self.counts["assessment_results"] += len(results)
        return {"id": assessment_id, "kind": kind, "subject": subject, "grade": grade}

    def works(self) -> dict[str, list[dict]]:
        """ВПР of last spring, this September's entrance works, the mocks of the ОГЭ and ЕГЭ (those already held)."""
        rng, made = self.rng, {"vpr": [], "entrance": [], "mock": []}
        vpr_day = {MATH: dt.date(self.year, 4, rng.randint(14, 18)),
                   RUSSIAN: dt.date(self.year, 4, rng.randint(21, 25))}  # fmt: skip
        entrance_day = {MATH: dt.date(self.year, 9, rng.randint(15, 18)),
                        RUSSIAN: dt.date(self.year, 9, rng.randint(22, 25))}  # fmt: skip
        for (grade, letter), pupils in sorted(self.classes.items()):
            for subject in (MATH, RUSSIAN):
                if 5 <= grade <= 9 and vpr_day[subject] < self.today:  # last spring they were a grade lower
                    found = self.work("vpr", subject, grade - 1, letter or None, vpr_day[subject],
                                      BANKS[(subject, grade - 1)], pupils, self.year - 1)  # fmt: skip
                    made["vpr"] += [found] if found else []
                if 5 <= grade <= 9 and entrance_day[subject] < self.today:
                    bank = BANKS[(subject, grade - 1)]
                    keep = sorted(rng.sample(range(len(bank)), min(len(bank), rng.randint(8, 11))))
                    found = self.work("entrance", subject, grade, letter or None, entrance_day[subject],
                                      tuple(bank[i] for i in keep), pupils, self.year, shift=-0.2)  # fmt: skip
                    made["entrance"] += [found] if found else []
        for grade, subject, tasks in ((9, MATH, MOCK_OGE), (11, RUSSIAN, MOCK_EGE)):
            slots = [dt.date(self.year, 11, rng.randint(12, 16)), dt.date(self.year + 1, 2, rng.randint(10, 14))]
            held = [d for d in slots if d < self.today]
            pupils = [p for (g, _letter), ps in sorted(self.classes.items()) if g == grade for p in ps]
            if held:
                # the autumn mock comes before most of the revision: a lower result than in February
                shift = -0.3 if held[-1].month == 11 else -0.1
                found = self.work("mock", subject, grade, None, held[-1], tasks, pupils, self.year, shift=shift)
                made["mock"] += [found] if found else []
        return made

    # ---- the databank ---------------------------------------------------------------------------------------------

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def clamp(self, day: dt.date) -> dt.date:
        return min(day, self.latest)

    def workday(self, day: dt.date) -> dt.date:
        """The day moved out of the summer holidays into early September, and off a weekend onto the Friday (unless
        that Friday is in the month before: this month's entries stay in this month)."""
        if (day.month, day.day) >= (6, 10) and day.month <= 8:
            day = dt.date(day.year, 9, self.rng.randint(2, 12))
        friday = day - dt.timedelta(days=max(0, day.weekday() - 4))
        return friday if friday.month == day.month else day

    def pupil(self, student_id: int) -> Pupil:
        return self._by_id[student_id]

    def entry(
        self,
        pupil: Pupil,
        category: str,
        identified: dt.date,
        source: str,
        description: str,
        responsible: int | None,
        subject: str | None = None,
        restricted: str | None = None,
    ) -> int | None:
        """One entry with its support log and, by its story, a status: mostly active, some resolved or closed."""
        category_id = self.categories.get(category)
        if category_id is None:
            return None
        joined = dt.date.fromisoformat(pupil.enrolled_on) + dt.timedelta(days=14)
        identified = self.clamp(self.workday(max(self.workday(identified), joined)))
        status, closed, outcome = self.fate(pupil, category, identified, subject)
        entry_id = records.save(self.db, DATABANK_ENTRY, {
            "student_id": pupil.id, "category_id": category_id, "subject_id": self.subjects.get(subject or ""),
            "identified_on": identified.isoformat(), "source": source, "description": description,
            "responsible_id": responsible, "status": status, "closed_on": closed.isoformat() if closed else None,
            "outcome": outcome, "restricted_note": restricted,
        })  # fmt: skip
        self.counts["databank_entries"] += 1
        self.support(entry_id, pupil, category, identified, closed or self.latest, subject, responsible)
        return entry_id

    def fate(
        self, pupil: Pupil, category: str, identified: dt.date, subject: str | None
    ) -> tuple[str, dt.date | None, str | None]:
        rng = self.rng
        if pupil.left_on:
            left = max(identified, dt.date.fromisoformat(pupil.left_on))
            return "closed", self.clamp(left), CLOSED[0].format(**pupil.forms)
        age = (self.latest - identified).days
        last_year = identified < dt.date(self.year, 9, 1)
        chance = 0.0 if category in (OVZ, GIFTED, LANGUAGE) else 0.6 if last_year else 0.15 if age > 45 else 0.0
        if rng.random() >= chance:
            return "active", None, None
        if rng.random() < 0.1:
            closed = self.workday(self.day(identified + dt.timedelta(days=20), self.latest))
            return "closed", self.clamp(max(identified, closed)), CLOSED[1].format(**pupil.forms)
        end = max(identified, dt.date(self.year, 5, 28) if last_year else self.latest)
        closed = self.clamp(max(identified, self.workday(self.day(min(identified + dt.timedelta(days=40), end), end))))
        # the term whose marks closed it: the last one ended by then, after the entry was made
        ended = [n for (_y, n), (_i, _s, term_end) in self.terms.items()
                 if identified.isoformat() < term_end <= closed.isoformat()]  # fmt: skip
        texts = OUTCOMES.get(category, OUTCOMES[ACADEMIC])
        if category == ACADEMIC and not ended:
            texts = texts[1:]
        dative = DATIVE.get(subject or "", "предмету")
        text = rng.choice(texts).format(term=(ended or [0])[-1], dative=dative, **pupil.forms)
        return "resolved", closed, text

    def support(
        self,
        entry_id: int,
        pupil: Pupil,
        category: str,
        start: dt.date,
        end: dt.date,
        subject: str | None,
        responsible: int | None,
        exam: bool = False,
    ) -> None:
        """A dated support log fitting the category, from the day identified to the day closed (or today); `exam`:
        the entry came from a mock exam's results."""
        rng = self.rng
        klass = self.class_teacher.get((pupil.grade, pupil.letter), self.deputy)
        psychologist = rng.choice(self.psychologists)
        teacher = responsible or klass
        dative = DATIVE.get(subject or "", "предмету")
        log: list[tuple[str, str, int | None, bool]] = []
        informed = ("parents_informed", "Родители (законные представители) проинформированы, беседа с классным "
                    "руководителем; составлен план совместных действий.", klass, False)  # fmt: skip
        if category == ACADEMIC:
            log += [informed]
            log += [("tutoring", f"Дополнительное занятие по {dative}: разбор ошибок, тренировочные задания.",
                     teacher, False)] * rng.randint(1, 3)  # fmt: skip
            if rng.random() < 0.3:
                log.append(("psychologist", "Консультация педагога-психолога: учебная тревожность, приёмы "
                            "самоконтроля при выполнении заданий.", psychologist, False))  # fmt: skip
        elif category == GIA:
            what = "пробного экзамена" if exam else "текущей успеваемости"
            log += [("parents_informed", f"Родители ознакомлены с результатами {what} под подпись, обсуждён план "
                     "подготовки к ГИА.", klass, False),
                    ("consent", "Получено согласие родителей на индивидуальный план подготовки к ГИА.", klass,
                     False),
                    ("tutoring", f"Консультации по {dative} по субботам: задания базового уровня.", teacher, False),
                    ("psychologist", "Групповое занятие по профилактике экзаменационной тревожности.",
                     psychologist, False)]  # fmt: skip
        elif category == MOTIVATION:
            log += [("psychologist", "Индивидуальная консультация: выявление причин снижения мотивации, "
                     "рекомендации классному руководителю.", psychologist, False), informed,
                    ("other", "Вовлечение во внеурочную деятельность: записан{a} в кружок «Точки роста».", klass,
                     False)]  # fmt: skip
        elif category == OVZ:
            log += [("pmpk_recommendation", "Рекомендации ТПМПК: занятия с учителем-логопедом 2 раза в неделю, с "
                     "педагогом-психологом 1 раз в неделю; увеличение времени на контрольные работы в 1,5 раза; "
                     "особые условия при проведении ВПР и ГИА.", self.deputy, False),
                    ("consent", "Получено согласие родителей на психолого-педагогическое сопровождение.", klass,
                     False),
                    ("speech_therapist", "Коррекционно-развивающее занятие с учителем-логопедом.",
                     rng.choice(self.speech), False),
                    ("psychologist", "Коррекционно-развивающее занятие с педагогом-психологом.", psychologist,
                     False),
                    ("pmpk_fulfilment", "Рекомендации ТПМПК выполняются: проведено {speech} с логопедом и {psy} — "
                     "с психологом, время на контрольные работы увеличено.", self.deputy, True)]  # fmt: skip
            weeks = (end - start).days // 7
            if weeks < 6:  # too early to report on the recommendation
                log.pop()
        elif category == ADAPTATION:
            log += [("psychologist", "Диагностика школьной адаптации и тревожности, индивидуальная беседа.",
                     psychologist, False), informed,
                    ("other", "Классный час на сплочение коллектива; назначен наставник из "
                     "старшеклассников.", klass, False)]  # fmt: skip
        elif category == SOCIAL:
            log += [("other", "Посещение семьи на дому социальным педагогом и классным руководителем, составлен "
                     "акт.", rng.choice(self.social), False), informed,
                    ("psychologist", "Беседа педагога-психолога {with_pupil}.", psychologist, False)]  # fmt: skip
        elif category == ABSENCE:
            log += [
                informed,
                ("tutoring", "Индивидуальный график консультаций по предметам с пробелами.", teacher, False),
                ("other", "Выданы задания для самостоятельной работы на период отсутствия.", klass, False),
            ]
        elif category == GIFTED:
            log += [("tutoring", f"Индивидуальные занятия по {dative}: подготовка к олимпиаде.", teacher, False),
                    ("other", "Участие в профильной смене регионального центра для одарённых детей.", teacher,
                     False)]  # fmt: skip
        elif category == LANGUAGE:
            log += [
                ("tutoring", "Занятия по русскому языку как неродному, 2 раза в неделю.", teacher, False),
                ("parents_informed", "Беседа с родителями с помощью родственника-переводчика.", klass, False),
            ]
        keep = max(1, len(log) - rng.randint(0, 2)) if category != OVZ else len(log)
        log = log[:keep]
        # Parents are told, consent given and the PMPK's recommendation filed within days of the identification;
        # the rest spreads over the time the entry is open, and the report on the recommendation comes last.
        dated, cursor = [], start
        for item in log:
            if item[0] in ("parents_informed", "consent", "pmpk_recommendation"):
                cursor = day = cursor + dt.timedelta(days=rng.randint(0, 4))
            elif item[0] == "pmpk_fulfilment":
                day = end - dt.timedelta(days=rng.randint(0, 6))
            else:
                day = self.day(start, end)
            dated.append((min(end, max(start, self.workday(day))), item))
        summer = 13 if start < dt.date(self.year, 6, 1) < end else 0  # weeks of the holidays in between
        weeks = max(1, (end - start).days // 7 - summer)
        counts = {"speech": _count(min(60, 2 * weeks), "занятие", "занятия", "занятий"),
                  "psy": _count(min(30, weeks), "занятие", "занятия", "занятий"), **pupil.forms}  # fmt: skip
        for day, (kind, text, by, fulfilled) in sorted(dated, key=lambda d: d[0]):
            records.save(self.db, SUPPORT_ENTRY, {
                "entry_id": entry_id, "date": day.isoformat(), "kind": kind, "text": text.format(**counts),
                "by_id": by, "fulfilled": fulfilled,
            })  # fmt: skip
            self.counts["support_entries"] += 1

    def from_results(self, made: dict[str, list[dict]]) -> None:
        """Entries proposed from results, as the deputy director makes them on the Assessments page: from the
        entrance work in mathematics of the 5th or 6th class with the most "2"s, and from the mock ОГЭ (or, before
        it is held, another entrance work). All "2"s are taken, and a few "3"s with deficits."""
        rng, chosen = self.rng, []
        early = [w for w in made["entrance"] if w["subject"] == MATH and w["grade"] <= 6]
        if early:
            fails = {w["id"]: self.db.execute(
                "SELECT count(*) FROM assessment_result WHERE assessment_id = ? AND mark = 2", [w["id"]]
            ).fetchone()[0] for w in early}  # fmt: skip
            chosen.append(max(early, key=lambda w: (fails[w["id"]], -w["id"])))
        chosen += made["mock"][:1] or [w for w in made["entrance"] if w not in chosen][-1:]
        for work in chosen:
            proposals = assessments.propose_databank_entries(self.db, work["id"])
            failed = [p for p in proposals if p["mark"] is not None and p["mark"] <= 2]
            weak = [p for p in proposals if p["suggested"] and p not in failed]
            picked = failed + rng.sample(weak, min(len(weak), 2 if self.small else 4))
            before = self.db.execute("SELECT coalesce(max(id), 0) FROM databank_entry").fetchone()[0]
            assessments.create_databank_entries(self.db, picked)
            exam = work["kind"] in assessments.GIA_KINDS
            taught = "Алгебра" if work["subject"] == MATH and work["grade"] >= 7 else work["subject"]
            for entry_id, student_id, category_id, identified in self.db.execute(
                "SELECT id, student_id, category_id, identified_on FROM databank_entry WHERE id > ? ORDER BY id",
                [before],
            ).fetchall():
                pupil = self.pupil(student_id)
                responsible = self.teacher.get((pupil.grade, pupil.letter, taught))
                records.save(self.db, DATABANK_ENTRY, {"responsible_id": responsible}, entry_id)
                self.counts["databank_entries"] += 1
                category = GIA if category_id == self.categories.get(GIA) else ACADEMIC
                day = dt.date.fromisoformat(identified)
                self.support(entry_id, pupil, category, day, self.latest, work["subject"], responsible, exam=exam)

    def build_databank(self, latest_marks: dict[tuple[int, int], int], made: dict[str, list[dict]]) -> None:
        rng, scale = self.rng, max(1.0, len(self.pupils) / 400)
        self._by_id = {p.id: p for p in self.pupils}
        self.from_results(made)
        n = lambda k: max(1, round(k * scale * rng.uniform(0.8, 1.2)))  # noqa: E731
        at_school = [p for p in self.pupils if p.left_on is None]
        taken: set[tuple[int, str]] = set()
        names = {v: k for k, v in self.subjects.items()}
        this_year, month = dt.date(self.year, 9, 1), self.latest.replace(day=1)

        def when(recent: float = 0.15) -> dt.date:
            """A day this academic year; now and then this month, so the Home page has fresh entries."""
            if rng.random() < recent:
                return self.day(month, self.latest)
            return self.day(this_year + dt.timedelta(days=7), self.latest)

        def pick(candidates: list[Pupil], count: int, category: str) -> list[Pupil]:
            free = [p for p in candidates if (p.id, category) not in taken]
            chosen = rng.sample(free, min(count, len(free)))
            taken.update((p.id, category) for p in chosen)
            return chosen

        weakest = sorted(at_school, key=lambda p: self.ability[(p.id, self.year)])
        # Academic failure from the latest term marks, after the teachers' council (a "2" in a subject).
        if self.latest_term:
            term_id, _start, end = self.terms[self.latest_term]
            council = dt.date.fromisoformat(end) + dt.timedelta(days=rng.randint(3, 8))
            fails = sorted((sid, subj) for (sid, subj), mark in latest_marks.items() if mark == 2)
            for sid, subject_id in rng.sample(fails, min(len(fails), n(9))):
                pupil, subject = self.pupil(sid), names[subject_id]
                category = GIA if pupil.grade in (9, 11) and subject in (RUSSIAN, MATH, "Алгебра", "Геометрия") \
                    else ACADEMIC  # fmt: skip
                if (sid, category + subject) in taken or pupil.left_on:
                    continue
                taken.add((sid, category + subject))
                self.entry(pupil, category, council, "term_marks",
                           f"По итогам {self.latest_term[1]} четверти — «2» по {DATIVE[subject]}. Пробелы по базовым "
                           "темам курса, не выполняет домашние задания.",
                           self.teacher.get((pupil.grade, pupil.letter, subject)), subject)  # fmt: skip
        # Last year's academic failures: most resolved by the end of May, some carried over into this year.
        earlier = [p for p in weakest[: len(weakest) // 5] if p.grade >= 3]
        for pupil in pick(earlier, n(8), "past"):
            subject = rng.choice((RUSSIAN, MATH) if pupil.grade <= 7 else (RUSSIAN, "Алгебра", "Геометрия"))
            then = pupil.grade - 1
            taught = subject if subject in subjects_of(then) else MATH
            day = self.day(dt.date(self.year - 1, 10, 28), dt.date(self.year, 3, 25))
            self.entry(pupil, ACADEMIC, day, rng.choice(("term_marks", "teacher")),
                       f"Неуспеваемость по {DATIVE[taught]} ({then} класс): «2» за четверть, не усвоены темы "
                       "программы текущего года.",
                       self.teacher.get((pupil.grade, pupil.letter, taught)), taught)  # fmt: skip
        # The GIA risk group named by the teachers of grades 9 and 11 (seed 001 #6).
        gia = [p for p in weakest[: len(weakest) // 3] if p.grade in (9, 11)]
        for pupil in pick(gia, n(3), GIA):
            subject = rng.choice((RUSSIAN, "Алгебра"))
            exam = "ОГЭ" if pupil.grade == 9 else "ЕГЭ"
            self.entry(pupil, GIA, when(0.3), "teacher",
                       f"Группа риска по результатам текущей успеваемости: риск не преодолеть минимальный порог "
                       f"{exam} по {DATIVE[subject]}; низкий балл за тренировочные работы.",
                       self.teacher.get((pupil.grade, pupil.letter, subject)), subject)  # fmt: skip
        # Low motivation: the psychologist's diagnostics in grades 7–11 in October (seed 001, psychological support).
        mid = [p for p in weakest[: len(weakest) // 2] if p.grade >= 7]
        diagnostics = self.clamp(dt.date(self.year, 10, rng.randint(6, 17)))
        for pupil in pick(mid, n(6), MOTIVATION):
            day = diagnostics if rng.random() < 0.7 and diagnostics > this_year else when(0.3)
            self.entry(
                pupil,
                MOTIVATION,
                day,
                "psychologist",
                rng.choice(MOTIVATION_TEXTS).format(grade=pupil.grade),
                rng.choice([rng.choice(self.psychologists), self.class_teacher[(pupil.grade, pupil.letter)]]),
            )
        # Pupils with special educational needs: PMPK conclusions, often from an earlier year.
        ovz = [p for p in weakest[: len(weakest) // 4] if 1 <= p.grade <= 9]
        for pupil in pick(ovz, n(3), OVZ):
            day = self.day(dt.date(self.year - 1, 9, 15), dt.date(self.year, 5, 15)) if rng.random() < 0.6 \
                else when(0.1)  # fmt: skip
            level = "НОО" if pupil.grade <= 4 else "ООО"
            self.entry(pupil, OVZ, day, "pmpk", rng.choice(OVZ_TEXTS).format(level=level, **pupil.forms),
                       rng.choice(self.speech), restricted=RESTRICTED_OVZ if rng.random() < 0.5 else None)  # fmt: skip
        # Adaptation and behaviour: first graders, fifth graders, tenth graders, newcomers, a few others.
        newcomers = [p for p in at_school if p.enrolled_on > this_year.isoformat() and p.grade > 1]
        groups = [(p, p.grade) for p in at_school if p.grade in (1, 5, 10)] + [(p, -1) for p in newcomers]
        groups += [(p, 0) for p in at_school if 6 <= p.grade <= 9]
        rng.shuffle(groups)
        count = 0
        for pupil, kind in groups:
            if count >= n(6):
                break
            if (pupil.id, ADAPTATION) in taken:
                continue
            taken.add((pupil.id, ADAPTATION))
            count += 1
            first = max(this_year + dt.timedelta(days=20), dt.date.fromisoformat(pupil.enrolled_on))
            day = self.day(first, self.latest) if rng.random() > 0.2 else when(1.0)
            text = ADAPTATION_TEXTS[kind].format(subjects="русскому языку и английскому языку", **pupil.forms)
            self.entry(
                pupil,
                ADAPTATION,
                day,
                rng.choice(("psychologist", "teacher")),
                text,
                rng.choice(self.psychologists) if kind != 0 else self.class_teacher[(pupil.grade, pupil.letter)],
            )
        # Social risk: the social pedagogue's cases, the restricted note on some.
        for pupil in pick(weakest[: len(weakest) // 2], n(4), SOCIAL):
            day = self.day(dt.date(self.year - 1, 9, 10), self.latest) if rng.random() < 0.5 else when(0.2)
            self.entry(pupil, SOCIAL, day, "other", rng.choice(SOCIAL_TEXTS), rng.choice(self.social),
                       restricted=rng.choice(RESTRICTED_SOCIAL) if rng.random() < 0.6 else None)  # fmt: skip
        # Long absence.
        for pupil in pick(at_school, n(3), ABSENCE):
            day = self.clamp(max(this_year + dt.timedelta(days=24), when(0.4)))
            lessons = 5 * (day - this_year).days * 5 // 7  # five lessons a day, five days a week
            missed = _count(max(12, round(lessons * rng.uniform(0.15, 0.3))), "урок", "урока", "уроков")
            self.entry(pupil, ABSENCE, day, "teacher",
                       rng.choice(ABSENCE_TEXTS).format(lessons=missed, **pupil.forms),
                       self.class_teacher[(pupil.grade, pupil.letter)],
                       restricted=RESTRICTED_ABSENCE if rng.random() < 0.4 else None)  # fmt: skip
        # Gifted pupils: school stage of the olympiad in October, last year's municipal stage.
        strong = [p for p in sorted(at_school, key=lambda p: -self.ability[(p.id, self.year)])[: len(at_school) // 8]
                  if p.grade >= 4]  # fmt: skip
        for pupil in pick(strong, n(4), GIFTED):
            olympiad = [s for s in subjects_of(pupil.grade) if s not in ("Литературное чтение", "Окружающий мир")]
            subject = rng.choice(olympiad)
            # ВПР's results speak of mathematics and Russian only
            texts = GIFTED_TEXTS if subject in (RUSSIAN, MATH) else GIFTED_TEXTS[:2]
            day = self.clamp(dt.date(self.year, 10, rng.randint(20, 31))) if rng.random() < 0.6 else when(0.2)
            self.entry(pupil, GIFTED, day, "teacher", rng.choice(texts).format(dative=DATIVE[subject]),
                       self.teacher.get((pupil.grade, pupil.letter, subject)), subject)  # fmt: skip
        # Pupils who left during the year: their entries are closed on the day they left.
        for pupil in pick([p for p in self.pupils if p.left_on], n(1.5), "left"):
            left = dt.date.fromisoformat(pupil.left_on)
            joined = dt.date.fromisoformat(pupil.enrolled_on) + dt.timedelta(days=14)
            day = self.workday(self.day(max(joined, left - dt.timedelta(days=120)), left - dt.timedelta(days=5)))
            if not joined <= day < left:
                continue
            subject = rng.choice((RUSSIAN, MATH if pupil.grade <= 6 else "Алгебра"))
            self.entry(pupil, ACADEMIC, day, "teacher",
                       f"Неуспеваемость по {DATIVE[subject]}: «2» за контрольные работы, пробелы по темам курса.",
                       self.teacher.get((pupil.grade, pupil.letter, subject)), subject)  # fmt: skip
        # The language barrier: one or two pupils from families where Russian is not spoken at home.
        for pupil in pick([p for p in at_school if p.grade <= 6], n(1.5), LANGUAGE):
            self.entry(
                pupil,
                LANGUAGE,
                self.day(this_year + dt.timedelta(days=5), self.latest),
                "teacher",
                LANGUAGE_TEXT,
                self.teacher.get((pupil.grade, pupil.letter, RUSSIAN)),
                RUSSIAN,
            )


def build_databank(db: Database, rng: random.Random, today: dt.date, small: bool) -> dict[str, int]:
    """Term marks of a year and more, works with per-task results and the databank; runs inside the caller's
    transaction. Returns counts: assessments, assessment_results, term_marks (every row of the assessment tables:
    term marks included), databank_entries, support_entries."""
    maker = _Databank(db, rng, today, small)
    latest_marks = maker.term_marks()
    made = maker.works()
    maker.build_databank(latest_marks, made)
    maker.counts["assessment_results"] += maker.counts["term_marks"]
    return maker.counts
