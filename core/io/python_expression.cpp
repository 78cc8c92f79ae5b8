#include "io/python_expression.h"

#include "common/expression.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>
#include <vector>

namespace core {

std::string pythonFloat(double v) {
    if (std::isnan(v)) return "float('nan')";
    if (std::isinf(v)) return v > 0.0 ? "float('inf')" : "-float('inf')";
    char buffer[32];
    std::string s(buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr);
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
}

namespace {

// Thrown where the expression leaves what can be translated exactly.
struct Untranslatable {};

struct Token {
    enum Kind { Number, Name, Operator, End } kind;
    std::string text;
};

std::vector<Token> tokens(const std::string& text) {
    // muParser's operators (longest first), numbers as its stream reader takes them, and names.
    static const std::regex token(R"(\s*(?:(<=|>=|!=|==|&&|\|\||[-+*/^()?:,<>])|)"
                                  R"(((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([A-Za-z_]\w*)))");
    std::vector<Token> out;
    auto at = text.cbegin();
    for (std::smatch m; std::regex_search(at, text.cend(), m, token, std::regex_constants::match_continuous);
         at = m[0].second) {
        if (m[1].matched) out.push_back({Token::Operator, m[1]});
        else if (m[2].matched) out.push_back({Token::Number, m[2]});
        else out.push_back({Token::Name, m[3]});
    }
    if (std::any_of(at, text.cend(), [](char c) { return !std::isspace(static_cast<unsigned char>(c)); }))
        throw Untranslatable{};  // '=', '%', '!', ... : nothing muParser evaluates without side effects
    out.push_back({Token::End, {}});
    return out;
}

struct Function {
    std::string python;  // the helper in class mu
    int minArguments, maxArguments;  // maxArguments -1: any number
};

// muParser's functions and ours (mod, floor, ceil), by the helper computing each the same way.
const std::map<std::string, Function>& functions() {
    static const std::map<std::string, Function> all = [] {
        std::map<std::string, Function> f;
        for (const char* name : {"sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh",
                                 "atanh", "log2", "log10", "log", "exp", "sqrt", "sign", "rint", "abs", "floor", "ceil"})
            f[name] = {name, 1, 1};
        f["ln"] = {"log", 1, 1};
        f["atan2"] = {"atan2", 2, 2};
        f["mod"] = {"mod", 2, 2};
        for (const char* name : {"sum", "avg", "min", "max"}) f[name] = {name, 1, -1};
        return f;
    }();
    return all;
}

// muParser's binary operators as Python, lowest precedence first.
struct BinaryLevel {
    std::vector<std::string> operators;
    std::string (*python)(const std::string& left, const std::string& op, const std::string& right);
};

std::string logical(const std::string& left, const std::string& op, const std::string& right) {
    return "float(bool(" + left + ") " + (op == "||" ? "or" : "and") + " bool(" + right + "))";
}

// As muParser: 1 or 0, and never chained as Python chains a < b < c.
std::string comparison(const std::string& left, const std::string& op, const std::string& right) {
    return "float(" + left + " " + op + " " + right + ")";
}

std::string arithmetic(const std::string& left, const std::string& op, const std::string& right) {
    return op == "/" ? "mu.div(" + left + ", " + right + ")" : "(" + left + " " + op + " " + right + ")";
}

const std::vector<BinaryLevel>& binaryLevels() {
    static const std::vector<BinaryLevel> levels = {{{"||"}, logical},
                                                    {{"&&"}, logical},
                                                    {{"<", ">", "<=", ">=", "==", "!="}, comparison},
                                                    {{"+", "-"}, arithmetic},
                                                    {{"*", "/"}, arithmetic}};
    return levels;
}

// Recursive descent in muParser's precedence: ?: (right to left), ||, &&,
// comparisons, + -, * /, unary signs, ^ (right to left, above the signs, so
// -t^2 is -(t^2) and 2^-t is 2^(-t)).
class Translator {
public:
    Translator(const std::string& expression, std::string variable)
        : tokens_(tokens(toMuParserSyntax(expression))),
          variable_(std::move(variable)),
          constants_(expressionConstants()) {}

    std::string translate() {
        std::string out = conditional();
        if (peek().kind != Token::End) throw Untranslatable{};  // e.g. "1, 2": several results
        return out;
    }

private:
    const Token& peek() const { return tokens_[position_]; }
    bool accept(const char* op) {
        if (peek().kind != Token::Operator || peek().text != op) return false;
        ++position_;
        return true;
    }
    void expect(const char* op) {
        if (!accept(op)) throw Untranslatable{};
    }

    std::string conditional() {
        const std::string condition = binary(0);
        if (!accept("?")) return condition;
        const std::string yes = conditional();
        expect(":");
        const std::string no = conditional();
        return "(" + yes + " if " + condition + " else " + no + ")";
    }
    // One level of left-associative binary operators over the next level up.
    std::string binary(std::size_t level) {
        if (level == binaryLevels().size()) return sign();
        const BinaryLevel& operators = binaryLevels()[level];
        std::string left = binary(level + 1);
        for (;;) {
            const Token& t = peek();
            const auto& ops = operators.operators;
            if (t.kind != Token::Operator || std::find(ops.begin(), ops.end(), t.text) == ops.end()) return left;
            const std::string op = t.text;
            ++position_;
            left = operators.python(left, op, binary(level + 1));
        }
    }
    std::string sign() {
        if (accept("-")) return "(-" + sign() + ")";
        if (accept("+")) return sign();
        return power();
    }
    std::string power() {
        const std::string base = primary();
        if (!accept("^")) return base;
        return "mu.pow(" + base + ", " + sign() + ")";
    }
    std::string primary() {
        const Token t = peek();
        ++position_;
        if (t.kind == Token::Number) {
            const double v = std::strtod(t.text.c_str(), nullptr);
            if (!std::isfinite(v)) throw Untranslatable{};
            return pythonFloat(v);
        }
        if (t.kind == Token::Operator && t.text == "(") {
            const std::string inner = conditional();
            expect(")");
            return inner;
        }
        if (t.kind != Token::Name) throw Untranslatable{};
        if (accept("(")) return call(t.text);
        if (t.text == variable_) return variable_;
        if (const auto c = constants_.find(t.text); c != constants_.end()) return pythonFloat(c->second);
        throw Untranslatable{};
    }
    std::string call(const std::string& name) {
        const auto f = functions().find(name);
        if (f == functions().end()) throw Untranslatable{};
        std::vector<std::string> arguments{conditional()};
        while (accept(",")) arguments.push_back(conditional());
        expect(")");
        const int n = static_cast<int>(arguments.size());
        if (n < f->second.minArguments || (f->second.maxArguments >= 0 && n > f->second.maxArguments))
            throw Untranslatable{};
        std::string out = "mu." + f->second.python + "(";
        for (int i = 0; i < n; ++i) out += (i ? ", " : "") + arguments[i];
        return out + ")";
    }

    std::vector<Token> tokens_;
    std::size_t position_ = 0;
    std::string variable_;
    std::map<std::string, double> constants_;
};

}  // namespace

std::optional<std::string> pythonExpression(const std::string& expression, const std::string& variable) {
    try {
        return Translator(expression, variable).translate();
    } catch (const Untranslatable&) {
        return std::nullopt;
    }
}

const char* const pythonExpressionHelpers = R"py(

class mu:
    """Node expressions' functions computed as NeuroLoom computes them (muParser,
    see muParserTemplateMagic.h): Python's math module calls the same C library;
    where it raises instead (1/0, log(0), sqrt(-1), exp(1000)) numpy gives the
    C library's inf or nan."""

    def _c(exact, special):
        def f(*args):
            try:
                return exact(*args)
            except (ValueError, OverflowError, ZeroDivisionError):
                with np.errstate(all="ignore"):
                    return float(special(*args))

        return staticmethod(f)

    div = _c(lambda a, b: a / b, np.divide)
    pow = _c(math.pow, np.power)
    sin, cos, tan = _c(math.sin, np.sin), _c(math.cos, np.cos), _c(math.tan, np.tan)
    asin, acos, atan = _c(math.asin, np.arcsin), _c(math.acos, np.arccos), _c(math.atan, np.arctan)
    atan2 = _c(math.atan2, np.arctan2)
    sinh, cosh, tanh = _c(math.sinh, np.sinh), _c(math.cosh, np.cosh), _c(math.tanh, np.tanh)
    exp, log, log10 = _c(math.exp, np.exp), _c(math.log, np.log), _c(math.log10, np.log10)
    sqrt = _c(math.sqrt, np.sqrt)
    del _c

    @staticmethod
    def log2(v):
        return mu.div(mu.log(v), mu.log(2.0))

    @staticmethod
    def asinh(v):
        return mu.log(v + mu.sqrt(v * v + 1.0))

    @staticmethod
    def acosh(v):
        return mu.log(v + mu.sqrt(v * v - 1.0))

    @staticmethod
    def atanh(v):
        return 0.5 * mu.log(mu.div(1.0 + v, 1.0 - v))

    @staticmethod
    def abs(v):
        return v if v >= 0.0 else -v

    @staticmethod
    def sign(v):
        return -1.0 if v < 0.0 else 1.0 if v > 0.0 else 0.0

    @staticmethod
    def floor(v):
        return float(np.floor(v))

    @staticmethod
    def ceil(v):
        return float(np.ceil(v))

    @staticmethod
    def rint(v):
        return mu.floor(v + 0.5)

    @staticmethod
    def mod(a, b):
        return a - b * mu.floor(mu.div(a, b))

    @staticmethod
    def sum(*values):
        return functools.reduce(lambda total, v: total + v, values, 0.0)

    @staticmethod
    def avg(*values):
        return mu.sum(*values) / len(values)

    @staticmethod
    def min(*values):  # std::min: the running value unless v is less
        return functools.reduce(lambda least, v: v if v < least else least, values)

    @staticmethod
    def max(*values):  # std::max: the running value unless it is less than v
        return functools.reduce(lambda most, v: v if most < v else most, values)
)py";

}  // namespace core
