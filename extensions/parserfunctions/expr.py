"""``{{#expr:}}``'s expression language: a port of ParserFunctions' ExprParser.

Owns tokenising and evaluating an expression with the shunting-yard algorithm, PHP's number
semantics (floats from the text, integers from ``mod``/``trunc``/comparisons, PHP's
``round``, ``fmod``, 64-bit integer wrap-around) and the way PHP prints a number
(``precision = 14``: ``0.33333333333333``, ``1.0E+20``, ``INF``, ``-0``). Errors are
``ExprError``; ``message(lang)`` gives MediaWiki's text in English or French.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_STACK = 100

NEGATIVE, POSITIVE, PLUS, MINUS, TIMES, DIVIDE, MOD, OPEN, CLOSE, AND, OR, NOT = range(3, 15)
EQUALITY, LESS, GREATER, LESSEQ, GREATEREQ, NOTEQ, ROUND, EXPONENT = range(15, 23)
SINE, COSINE, TANGENS, ARCSINE, ARCCOS, ARCTAN, EXP, LN, ABS, FLOOR, TRUNC, CEIL = range(23, 35)
POW, PI, FMOD, SQRT = range(35, 39)

PRECEDENCE = {
    NEGATIVE: 10, POSITIVE: 10, EXPONENT: 10,
    SINE: 9, COSINE: 9, TANGENS: 9, ARCSINE: 9, ARCCOS: 9, ARCTAN: 9, EXP: 9, LN: 9,
    ABS: 9, FLOOR: 9, TRUNC: 9, CEIL: 9, NOT: 9, SQRT: 9,
    POW: 8, TIMES: 7, DIVIDE: 7, MOD: 7, FMOD: 7, PLUS: 6, MINUS: 6, ROUND: 5,
    EQUALITY: 4, LESS: 4, GREATER: 4, LESSEQ: 4, GREATEREQ: 4, NOTEQ: 4,
    AND: 3, OR: 2, PI: 0, OPEN: -1, CLOSE: -1,
}
NAMES = {
    NEGATIVE: "-", POSITIVE: "+", NOT: "not", TIMES: "*", DIVIDE: "/", MOD: "mod",
    FMOD: "fmod", PLUS: "+", MINUS: "-", ROUND: "round", EQUALITY: "=", LESS: "<",
    GREATER: ">", LESSEQ: "<=", GREATEREQ: ">=", NOTEQ: "<>", AND: "and", OR: "or",
    EXPONENT: "e", SINE: "sin", COSINE: "cos", TANGENS: "tan", ARCSINE: "asin",
    ARCCOS: "acos", ARCTAN: "atan", LN: "ln", EXP: "exp", ABS: "abs", FLOOR: "floor",
    TRUNC: "trunc", CEIL: "ceil", POW: "^", PI: "pi", SQRT: "sqrt",
}
WORDS = {
    "mod": MOD, "fmod": FMOD, "and": AND, "or": OR, "not": NOT, "round": ROUND,
    "div": DIVIDE, "e": EXPONENT, "sin": SINE, "cos": COSINE, "tan": TANGENS,
    "asin": ARCSINE, "acos": ARCCOS, "atan": ARCTAN, "exp": EXP, "ln": LN, "abs": ABS,
    "trunc": TRUNC, "floor": FLOOR, "ceil": CEIL, "pi": PI, "sqrt": SQRT,
}
UNARY_FUNCS = {NOT, SINE, COSINE, TANGENS, ARCSINE, ARCCOS, ARCTAN, EXP, LN, ABS, FLOOR,
               TRUNC, CEIL, SQRT}

MESSAGES = {
    "en": {
        "stack_exhausted": "Expression error: Stack exhausted.",
        "unexpected_number": "Expression error: Unexpected number.",
        "preg_match_failure": "Expression error: Unexpected preg_match failure.",
        "unrecognised_word": 'Expression error: Unrecognized word "$1".',
        "unexpected_operator": "Expression error: Unexpected $1 operator.",
        "missing_operand": "Expression error: Missing operand for $1.",
        "unexpected_closing_bracket": "Expression error: Unexpected closing bracket.",
        "unrecognised_punctuation": 'Expression error: Unrecognized punctuation character "$1".',
        "unclosed_bracket": "Expression error: Unclosed bracket.",
        "division_by_zero": "Division by zero.",
        "invalid_argument": "Invalid argument for $1: < -1 or > 1.",
        "invalid_argument_ln": "Invalid argument for ln: <= 0.",
        "unknown_error": "Expression error: Unknown error ($1).",
        "not_a_number": "In $1: result is not a number.",
    },
    "fr": {
        "stack_exhausted": "Erreur d’expression : dépassement de pile.",
        "unexpected_number": "Erreur d’expression : nombre inattendu.",
        "preg_match_failure": "Erreur d’expression : échec inattendu de preg_match.",
        "unrecognised_word": "Erreur d’expression : mot « $1 » non reconnu.",
        "unexpected_operator": "Erreur d’expression : opérateur $1 inattendu.",
        "missing_operand": "Erreur d’expression : opérande manquant pour $1.",
        "unexpected_closing_bracket": "Erreur d’expression : parenthèse fermante inattendue.",
        "unrecognised_punctuation": "Erreur d’expression : caractère de ponctuation « $1 » "
                                    "non reconnu.",
        "unclosed_bracket": "Erreur d’expression : parenthèse non fermée.",
        "division_by_zero": "Division par zéro.",
        "invalid_argument": "Paramètre incorrect pour $1 : < -1 ou > 1.",
        "invalid_argument_ln": "Paramètre incorrect pour ln : ≤ 0.",
        "unknown_error": "Erreur d’expression : erreur inconnue ($1).",
        "not_a_number": "Dans $1 : le résultat n’est pas un nombre.",
    },
}

_WHITE = " \t\r\n"
_NUMBER = "0123456789."
_NUM_PREFIX = re.compile(r"\d*(?:\.\d*)?")
_INT64 = 2 ** 64


class ExprError(Exception):
    """An invalid expression; ``key`` is the message key after ``pfunc_expr_``."""

    def __init__(self, key: str, param: str = "") -> None:
        super().__init__(key, param)
        self.key = key
        self.param = param

    def message(self, lang: str = "en") -> str:
        table = MESSAGES.get(lang, MESSAGES["en"])
        return table.get(self.key, MESSAGES["en"]["unknown_error"]).replace("$1", self.param)


Number = int | float


def php_int(v: Number) -> int:
    """PHP's ``(int)`` cast of a float on a 64-bit machine (NaN/INF give 0, wrap-around)."""
    if isinstance(v, int):
        return v
    if math.isnan(v) or math.isinf(v):
        return 0
    n = int(v)
    if -2 ** 63 <= n < 2 ** 63:
        return n
    n %= _INT64
    return n - _INT64 if n >= 2 ** 63 else n


def _int_or_float(v: int) -> Number:
    """PHP integer arithmetic overflows into a float."""
    return v if -2 ** 63 <= v < 2 ** 63 else float(v)


def php_round(value: Number, digits: int) -> Number:
    """PHP's ``round()``: half away from zero, on the shortest decimal form of the float."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return value
    if isinstance(value, int) and digits >= 0:
        return float(value)
    try:
        d = Decimal(repr(float(value)))
        q = d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        return float(q)
    except (InvalidOperation, OverflowError, ValueError):
        return float(value)


def php_number(v: Number) -> str:
    """How PHP 8 prints a number with ``precision = 14``."""
    if isinstance(v, bool):
        return "1" if v else ""
    if isinstance(v, int):
        return str(v)
    if math.isnan(v):
        return "NAN"
    if math.isinf(v):
        return "INF" if v > 0 else "-INF"
    if v == 0:
        return "-0" if math.copysign(1.0, v) < 0 else "0"
    s = "%.14G" % v
    if "E" in s:
        mant, exp = s.split("E")
        if "." not in mant:
            mant += ".0"
        sign, digits = exp[0], exp[1:].lstrip("0") or "0"
        s = f"{mant}E{sign}{digits}"
    return s


def _do_operation(op: int, stack: list[Number]) -> None:
    arity = 1 if op in UNARY_FUNCS or op in (NEGATIVE, POSITIVE) else 2
    if len(stack) < arity:
        raise ExprError("missing_operand", NAMES[op])
    if arity == 1:
        arg = stack.pop()
        stack.append(_unary(op, arg))
        return
    right = stack.pop()
    left = stack.pop()
    stack.append(_binary(op, left, right))


def _unary(op: int, arg: Number) -> Number:
    if op == NEGATIVE:
        return -arg if not isinstance(arg, int) else _int_or_float(-arg)
    if op == POSITIVE:
        return arg
    if op == NOT:
        return 0 if arg else 1
    try:
        if op == SINE:
            return math.sin(arg)
        if op == COSINE:
            return math.cos(arg)
        if op == TANGENS:
            return math.tan(arg)
        if op in (ARCSINE, ARCCOS):
            if arg < -1 or arg > 1:
                raise ExprError("invalid_argument", NAMES[op])
            return math.asin(arg) if op == ARCSINE else math.acos(arg)
        if op == ARCTAN:
            return math.atan(arg)
        if op == EXP:
            try:
                return math.exp(arg)
            except OverflowError:
                return math.inf
        if op == LN:
            if arg <= 0:
                raise ExprError("invalid_argument_ln", NAMES[op])
            return math.log(arg)
        if op == ABS:
            return abs(arg)
        if op == FLOOR:
            return float(math.floor(arg)) if math.isfinite(arg) else float(arg)
        if op == CEIL:
            return float(math.ceil(arg)) if math.isfinite(arg) else float(arg)
        if op == TRUNC:
            return php_int(arg)
        if op == SQRT:
            if arg < 0 or (isinstance(arg, float) and math.isnan(arg)):
                raise ExprError("not_a_number", NAMES[op])
            return math.sqrt(arg)
    except ValueError:  # sin(INF) and the like: PHP gives NAN
        return math.nan
    raise ExprError("unknown_error", str(op))


def _binary(op: int, left: Number, right: Number) -> Number:
    both_int = isinstance(left, int) and isinstance(right, int)
    if op == TIMES:
        return _int_or_float(left * right) if both_int else float(left) * float(right)
    if op == PLUS:
        return _int_or_float(left + right) if both_int else float(left) + float(right)
    if op == MINUS:
        return _int_or_float(left - right) if both_int else float(left) - float(right)
    if op == DIVIDE:
        if not right:
            raise ExprError("division_by_zero", NAMES[op])
        if both_int and left % right == 0:
            return _int_or_float(left // right)
        try:
            return float(left) / float(right)
        except OverflowError:
            return math.inf if (left > 0) == (right > 0) else -math.inf
    if op == MOD:
        r, lft = php_int(right), php_int(left)
        if not r:
            raise ExprError("division_by_zero", NAMES[op])
        m = abs(lft) % abs(r)
        return -m if lft < 0 else m
    if op == FMOD:
        if not right:
            raise ExprError("division_by_zero", NAMES[op])
        try:
            return math.fmod(float(left), float(right))
        except ValueError:
            return math.nan
    if op == AND:
        return 1 if (left and right) else 0
    if op == OR:
        return 1 if (left or right) else 0
    if op == EQUALITY:
        return 1 if left == right else 0
    if op == NOTEQ:
        return 1 if left != right else 0
    if op == LESS:
        return 1 if left < right else 0
    if op == GREATER:
        return 1 if left > right else 0
    if op == LESSEQ:
        return 1 if left <= right else 0
    if op == GREATEREQ:
        return 1 if left >= right else 0
    if op == ROUND:
        return php_round(left, php_int(right))
    if op == EXPONENT:
        return float(left) * _pow(10.0, float(right))
    if op == POW:
        return _pow(left, right)
    raise ExprError("unknown_error", str(op))


def _pow(left: Number, right: Number) -> Number:
    if isinstance(left, int) and isinstance(right, int) and right >= 0 and abs(right) < 4096:
        return _int_or_float(left ** right) if abs(left) < 2 ** 63 else float(left) ** right
    try:
        result = math.pow(float(left), float(right))
    except OverflowError:
        result = math.inf if left > 0 or float(right) % 2 == 0 else -math.inf
    except (ValueError, ZeroDivisionError):
        # 0 ^ -1 is INF in PHP; a negative base with a fractional exponent is NAN
        if float(left) == 0:
            return math.inf
        return math.nan
    return result


def evaluate(expr: str) -> str:
    """Evaluate ``expr`` and return what ``{{#expr:}}`` prints; raises ExprError."""
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&minus;", "-"), ("\u2212", "-")):
        expr = expr.replace(a, b)
    operands: list[Number] = []
    operators: list[int] = []
    p = 0
    end = len(expr)
    expecting = "expression"
    while p < end:
        if len(operands) > MAX_STACK or len(operators) > MAX_STACK:
            raise ExprError("stack_exhausted")
        char = expr[p]
        char2 = expr[p:p + 2]
        name = ""
        if char in _WHITE:
            while p < end and expr[p] in _WHITE:
                p += 1
            continue
        if char in _NUMBER:
            if expecting != "expression":
                raise ExprError("unexpected_number")
            q = p
            while q < end and expr[q] in _NUMBER:
                q += 1
            text = _NUM_PREFIX.match(expr, p, q).group(0)  # type: ignore[union-attr]
            operands.append(float(text) if text.strip(".") else 0.0)
            p = q
            expecting = "operator"
            continue
        if char.isascii() and char.isalpha():
            q = p
            while q < end and expr[q].isascii() and expr[q].isalpha():
                q += 1
            word = expr[p:q].lower()
            p = q
            op = WORDS.get(word)
            if op is None:
                raise ExprError("unrecognised_word", word)
            if op == EXPONENT and expecting == "expression":
                operands.append(math.e)
                expecting = "operator"
                continue
            if op == PI:
                if expecting != "expression":
                    raise ExprError("unexpected_number")
                operands.append(math.pi)
                expecting = "operator"
                continue
            if op in UNARY_FUNCS:
                if expecting != "expression":
                    raise ExprError("unexpected_operator", word)
                operators.append(op)
                continue
            name = word
        elif char2 == "<=":
            name, op = char2, LESSEQ
            p += 2
        elif char2 == ">=":
            name, op = char2, GREATEREQ
            p += 2
        elif char2 in ("<>", "!="):
            name, op = char2, NOTEQ
            p += 2
        elif char == "+":
            p += 1
            if expecting == "expression":
                operators.append(POSITIVE)
                continue
            op = PLUS
        elif char == "-":
            p += 1
            if expecting == "expression":
                operators.append(NEGATIVE)
                continue
            op = MINUS
        elif char in "*/^=<>":
            name = char
            op = {"*": TIMES, "/": DIVIDE, "^": POW, "=": EQUALITY, "<": LESS,
                  ">": GREATER}[char]
            p += 1
        elif char == "(":
            if expecting == "operator":
                raise ExprError("unexpected_operator", "(")
            operators.append(OPEN)
            p += 1
            continue
        elif char == ")":
            while operators and operators[-1] != OPEN:
                _do_operation(operators.pop(), operands)
            if not operators:
                raise ExprError("unexpected_closing_bracket")
            operators.pop()
            expecting = "operator"
            p += 1
            continue
        else:
            raise ExprError("unrecognised_punctuation", char)
        # binary operator
        if expecting == "expression":
            raise ExprError("unexpected_operator", name)
        while operators and PRECEDENCE[op] <= PRECEDENCE[operators[-1]]:
            _do_operation(operators.pop(), operands)
        operators.append(op)
        expecting = "expression"
    while operators:
        op = operators.pop()
        if op == OPEN:
            raise ExprError("unclosed_bracket")
        _do_operation(op, operands)
    return "<br />\n".join(php_number(v) for v in operands)
