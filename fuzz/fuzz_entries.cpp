#include "fuzz_entries.h"

#include "build/builder.h"
#include "io/examples.h"
#include "io/npy.h"
#include "io/params_file.h"
#include "io/project.h"
#include "io/training_data_file.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace fuzz {

namespace {

// For the readers that take a path: one file per process, rewritten for each input.
class ScratchFile {
public:
    explicit ScratchFile(const std::string& extension)
        : path_((std::filesystem::temp_directory_path() /
                 ("neuroloom-fuzz-" + std::to_string(::getpid()) + extension)).string()) {}
    ~ScratchFile() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }

    const std::string& write(const std::string& bytes) {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out << bytes;
        if (!out.flush()) throw std::runtime_error("cannot write the scratch file " + path_);
        return path_;
    }

private:
    std::string path_;
};

const core::BuiltModel& paramsModel() {
    static const core::BuiltModel model = [] {
        const core::Project p = core::loadProject(core::examplesDirectory("") + "/x_squared_training.nlproj");
        return core::build(p.network, {p.simulation.dt, {}});
    }();
    return model;
}

}  // namespace

Outcome loadProject(const std::string& bytes) {
    core::Project project;
    try {
        project = core::projectFromJson(bytes, "fuzz.nlproj");
    } catch (const core::Error& e) {
        return e;
    }
    // What loads must save as a file that loads back to the same project.
    const std::string saved = core::projectToJson(project);
    std::string savedAgain;
    try {
        savedAgain = core::projectToJson(core::projectFromJson(saved, "saved.nlproj"));
    } catch (const core::Error& e) {
        throw std::logic_error(std::string("an accepted project does not load once saved: ") + e.what());
    }
    if (savedAgain != saved) throw std::logic_error("an accepted project changes when saved and loaded again");
    return std::nullopt;
}

Outcome readNpy(const std::string& bytes) {
    core::NpyArray array;
    try {
        array = core::decodeNpy(bytes, "fuzz.npy");
    } catch (const core::Error& e) {
        return e;
    }
    const std::string encoded = core::encodeNpy(array);
    if (core::encodeNpy(core::decodeNpy(encoded, "encoded.npy")) != encoded)
        throw std::logic_error("an accepted array changes when encoded and decoded again");
    return std::nullopt;
}

Outcome readNpz(const std::string& bytes) {
    try {
        core::decodeNpz(bytes, "fuzz.npz");
    } catch (const core::Error& e) {
        return e;
    }
    return std::nullopt;
}

Outcome readCsv(const std::string& bytes) {
    static ScratchFile file(".csv");
    try {
        core::readCsvSequence(file.write(bytes));
    } catch (const core::Error& e) {
        return e;
    }
    return std::nullopt;
}

Outcome loadParams(const std::string& bytes) {
    static ScratchFile file(".npz");
    core::BuiltModel model = paramsModel();
    try {
        core::loadParameters(model, file.write(bytes));
    } catch (const core::Error& e) {
        return e;
    }
    return std::nullopt;
}

const std::vector<Target>& targets() {
    static const std::vector<Target> all = {{"project_loader", loadProject},
                                            {"npy", readNpy},
                                            {"npz", readNpz},
                                            {"csv", readCsv},
                                            {"params", loadParams}};
    return all;
}

}  // namespace fuzz
