#pragma once
#include <string>
#include <vector>

// Each command takes the arguments after its name and returns the exit code;
// errors are thrown as core::Error and printed by main.
int runDemo(const std::string& executable, const std::vector<std::string>& args);
int runInfo(const std::vector<std::string>& args);
int runSimulate(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args);
int runExport(const std::vector<std::string>& args);
