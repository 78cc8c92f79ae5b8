#pragma once
// The one error type of the engine: every failure caused by user input says
// which file, which object and which field, so the UI can show it and the CLI
// can print it before exiting non-zero.
#include <stdexcept>
#include <string>

namespace core {

class Error : public std::runtime_error {
public:
    Error(std::string message, std::string file = {}, std::string object = {}, std::string field = {});

    const std::string& message() const { return message_; }
    const std::string& file() const { return file_; }
    const std::string& object() const { return object_; }
    const std::string& field() const { return field_; }

    // A copy with the file filled in, for errors raised below the file level.
    Error inFile(const std::string& file) const;
    // A copy with the object filled in when it is still empty.
    Error inObject(const std::string& object) const;

private:
    std::string message_, file_, object_, field_;
};

}  // namespace core
