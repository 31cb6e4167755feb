// Reports the libtorch this build links, for `toccata-cli --version` and model provenance.
#include "ml/MlVersion.h"

#include <torch/version.h>

namespace toccata::ml {

std::string torchVersion() {
    return TORCH_VERSION;
}

}  // namespace toccata::ml
