#pragma once
// Node expressions (muParser syntax, core/common/expression.h) as Python that
// computes the same doubles: the Nengo export runs them as functions of t
// instead of tables of sampled values, for any duration.
//
// Every operation is spelled out with explicit parentheses in muParser's
// order of evaluation; ^, / and the functions go through the helpers of
// pythonExpressionHelpers (class `mu`), which call Python's math module (the C
// library NeuroLoom's C++ calls too) and give C's inf or nan where Python
// would raise. Constants become their values.
#include <optional>
#include <string>

namespace core {

// The expression of the variable `variable` (a Python name in the result), or
// nullopt when it uses something without an exact Python equivalent (an
// unknown name, an assignment, several results separated by commas).
std::optional<std::string> pythonExpression(const std::string& expression, const std::string& variable);

// Shortest text that reads back as the same double (Python's repr), always a
// float literal so that numpy never makes an integer array of it.
std::string pythonFloat(double v);

// Python defining class `mu`; needs `import functools`, `import math` and
// `import numpy as np`.
extern const char* const pythonExpressionHelpers;

}  // namespace core
