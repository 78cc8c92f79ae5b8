#pragma once
// Expressions a user types: node outputs as functions of t, decoded functions
// of x0, x1, ... Parsed once with muParser, evaluated many times, as written
// (no reassociation), so that Python evaluates the same text to the same
// doubles. Nengo-style spellings are accepted: x[0] for x0 and ** for ^.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace core {

class ExpressionVector {
public:
    // One expression per output element, over the named variables. Throws
    // core::Error naming the expression and the position of a syntax error.
    ExpressionVector(const std::vector<std::string>& expressions, const std::vector<std::string>& variables);
    ~ExpressionVector();
    ExpressionVector(const ExpressionVector&) = delete;
    ExpressionVector& operator=(const ExpressionVector&) = delete;

    std::size_t size() const;
    // values: one per variable, in the order given; out: size() elements.
    void evaluate(const double* values, double* out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Rewrites Nengo/Python spellings into muParser's: x[3] -> x3, ** -> ^.
std::string toMuParserSyntax(const std::string& expression);

// The named constants expressions may use (muParser's _pi and _e, our pi and
// e) and their values, as the parser has them.
std::map<std::string, double> expressionConstants();

}  // namespace core
