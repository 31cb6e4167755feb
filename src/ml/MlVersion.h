// The libtorch version this build of the ML runtime links (recorded in trained models'
// provenance, printed by `toccata-cli --version`). [any]
#pragma once

#include <string>

namespace toccata::ml {

std::string torchVersion();

}  // namespace toccata::ml
