// Data-parallel training across processes and hosts with PyTorch's own distributed engine:
// c10d's TCPStore for the rendezvous and ProcessGroupGloo (CPU) for the collectives. Every
// process computes gradients on its share of the global batch; allReduceSum adds them up.
// Built only where libtorch has c10d with Gloo (Debian's does, with libgloo-dev); elsewhere
// available() is false and connect() says why. [worker]
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/Result.h"

namespace toccata::ml {

struct DistributedSettings {
    int rank = 0;       ///< this process, 0 .. worldSize - 1 (0 is the master)
    int worldSize = 1;  ///< processes in all, over every host
    std::string masterAddress = "127.0.0.1";
    int masterPort = 29500;
    std::chrono::milliseconds timeout{std::chrono::minutes(5)};
};

class DistributedGroup {
public:
    /// True when this build has c10d's Gloo backend.
    static bool available();

    /// Rendezvous at masterAddress:masterPort (rank 0 serves the store) and opens the Gloo
    /// group. Blocks until every rank has joined or the timeout passes. Errors name the address.
    static core::Result<std::unique_ptr<DistributedGroup>> connect(const DistributedSettings& s);

    virtual ~DistributedGroup() = default;
    virtual int rank() const = 0;
    virtual int worldSize() const = 0;

    /// Element-wise sum over all ranks, in place (float32 CPU tensors, same shapes everywhere).
    virtual core::Status allReduceSum(std::vector<torch::Tensor>& tensors) = 0;
    /// Copies rank `root`'s tensors into every rank's, in place.
    virtual core::Status broadcast(std::vector<torch::Tensor>& tensors, int root = 0) = 0;
};

}  // namespace toccata::ml
