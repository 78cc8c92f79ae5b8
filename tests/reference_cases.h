#pragma once
#include <string>
#include <vector>

// Every reference case the parity and builder tests run: the shipped folder
// and, when set, the folder named by NEUROLOOM_PARITY_DIR.
std::vector<std::string> referenceCaseFiles();

// Largest |a - b| divided by the largest |b| (1 when b is all zero).
double relativeError(const double* a, const double* b, long n);
