#include "ml/generation/GenerationOptions.h"

#include <cmath>

namespace toccata::ml {

core::Status GenerationOptions::validate() const {
    if (!(temperature >= 0.0) || !std::isfinite(temperature)) {
        return core::Status::failure("GenerationOptions: temperature must be >= 0, got " +
                                     std::to_string(temperature));
    }
    if (beamSize < 1 || branchFactor < 1 || stepsPerIteration < 1) {
        return core::Status::failure("GenerationOptions: beamSize (" + std::to_string(beamSize) +
                                     "), branchFactor (" + std::to_string(branchFactor) +
                                     ") and stepsPerIteration (" +
                                     std::to_string(stepsPerIteration) + ") must all be >= 1");
    }
    if (steps && numSteps) {
        return core::Status::failure(
            "GenerationOptions: give either steps (after the primer) or numSteps (total), "
            "not both");
    }
    if ((steps && *steps < 1) || (numSteps && *numSteps < 1)) {
        return core::Status::failure("GenerationOptions: steps/numSteps must be >= 1");
    }
    if (qpm && (!(*qpm > 0.0) || !std::isfinite(*qpm))) {
        return core::Status::failure("GenerationOptions: qpm must be a positive number, got " +
                                     std::to_string(*qpm));
    }
    if (stepsPerChord < 1) {
        return core::Status::failure("GenerationOptions: stepsPerChord must be >= 1, got " +
                                     std::to_string(stepsPerChord));
    }
    return {};
}

}  // namespace toccata::ml
