#include "common/expression.h"

#include "common/error.h"

#include <muParser.h>

#include <cmath>
#include <regex>

namespace core {

namespace {
double modulo(double a, double b) { return a - b * std::floor(a / b); }
double floorOf(double a) { return std::floor(a); }
double ceilOf(double a) { return std::ceil(a); }

// Our names besides muParser's own, and evaluation as written: muParser's
// bytecode optimiser would turn t^3 into t*t*t and t*3*7 into t*21, which
// round differently from the same expression in Python (the Nengo export).
void configure(mu::Parser& parser) {
    parser.EnableOptimizer(false);
    parser.DefineConst("pi", M_PI);
    parser.DefineConst("e", M_E);
    parser.DefineFun("mod", modulo);
    parser.DefineFun("floor", floorOf);
    parser.DefineFun("ceil", ceilOf);
}
}  // namespace

std::string toMuParserSyntax(const std::string& expression) {
    static const std::regex indexed(R"(\b([A-Za-z_]\w*)\[\s*(\d+)\s*\])");
    std::string s = std::regex_replace(expression, indexed, "$1$2");
    for (size_t pos; (pos = s.find("**")) != std::string::npos;) s.replace(pos, 2, "^");
    return s;
}

struct ExpressionVector::Impl {
    std::vector<double> variables;
    std::vector<std::unique_ptr<mu::Parser>> parsers;
};

ExpressionVector::ExpressionVector(const std::vector<std::string>& expressions,
                                   const std::vector<std::string>& variables)
    : impl_(std::make_unique<Impl>()) {
    impl_->variables.assign(variables.size(), 0.0);
    for (const auto& text : expressions) {
        auto parser = std::make_unique<mu::Parser>();
        try {
            configure(*parser);
            for (size_t i = 0; i < variables.size(); ++i) parser->DefineVar(variables[i], &impl_->variables[i]);
            parser->SetExpr(toMuParserSyntax(text));
            parser->Eval();  // parses now, so errors surface at build time
        } catch (const mu::Parser::exception_type& e) {
            throw Error("cannot parse expression '" + text + "': " + e.GetMsg());
        }
        impl_->parsers.push_back(std::move(parser));
    }
}

ExpressionVector::~ExpressionVector() = default;

std::map<std::string, double> expressionConstants() {
    mu::Parser parser;
    configure(parser);
    const mu::valmap_type constants = parser.GetConst();
    return {constants.begin(), constants.end()};
}

std::size_t ExpressionVector::size() const { return impl_->parsers.size(); }

void ExpressionVector::evaluate(const double* values, double* out) {
    std::copy(values, values + impl_->variables.size(), impl_->variables.begin());
    for (size_t i = 0; i < impl_->parsers.size(); ++i) {
        try {
            out[i] = impl_->parsers[i]->Eval();
        } catch (const mu::Parser::exception_type& e) {
            throw Error("cannot evaluate expression '" + impl_->parsers[i]->GetExpr() + "': " + e.GetMsg());
        }
    }
}

}  // namespace core
