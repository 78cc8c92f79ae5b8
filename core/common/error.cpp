#include "common/error.h"

namespace core {

namespace {
std::string compose(const std::string& message, const std::string& file, const std::string& object,
                    const std::string& field) {
    std::string where;
    if (!file.empty()) where += file;
    if (!object.empty()) where += (where.empty() ? "" : ": ") + std::string("object '") + object + "'";
    if (!field.empty()) where += (where.empty() ? "" : ", ") + std::string("field '") + field + "'";
    return where.empty() ? message : where + ": " + message;
}
}  // namespace

Error::Error(std::string message, std::string file, std::string object, std::string field)
    : std::runtime_error(compose(message, file, object, field)),
      message_(std::move(message)),
      file_(std::move(file)),
      object_(std::move(object)),
      field_(std::move(field)) {}

Error Error::inFile(const std::string& file) const { return Error(message_, file, object_, field_); }

Error Error::inObject(const std::string& object) const {
    return Error(message_, file_, object_.empty() ? object : object_, field_);
}

}  // namespace core
