#pragma once
#include <ostream>

// The headless demo: builds the classic squaring network (a sine into an
// ensemble, x^2 decoded into a second one), simulates it and prints what it
// computed and how close it came.
int runDemo(double duration, std::ostream& out);
