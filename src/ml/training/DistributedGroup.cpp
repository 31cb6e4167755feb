#include "ml/training/DistributedGroup.h"

#ifdef TOCCATA_HAVE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

namespace toccata::ml {

#ifdef TOCCATA_HAVE_C10D_GLOO

namespace {

/// All tensors go through one flat buffer: one collective per call, not one per tensor.
torch::Tensor flatten(const std::vector<torch::Tensor>& tensors) {
    std::vector<torch::Tensor> flat;
    flat.reserve(tensors.size());
    for (const torch::Tensor& t : tensors) flat.push_back(t.detach().to(torch::kFloat).reshape({-1}));
    return torch::cat(flat);
}

void unflatten(const torch::Tensor& flat, std::vector<torch::Tensor>& tensors) {
    torch::NoGradGuard noGrad;
    int64_t offset = 0;
    for (torch::Tensor& t : tensors) {
        const int64_t n = t.numel();
        t.copy_(flat.narrow(0, offset, n).view(t.sizes()));
        offset += n;
    }
}

class GlooGroup final : public DistributedGroup {
public:
    GlooGroup(c10::intrusive_ptr<c10d::ProcessGroupGloo> group, int rank, int world)
        : m_group(std::move(group)), m_rank(rank), m_world(world) {}

    int rank() const override { return m_rank; }
    int worldSize() const override { return m_world; }

    core::Status allReduceSum(std::vector<torch::Tensor>& tensors) override {
        if (tensors.empty()) return {};
        try {
            std::vector<at::Tensor> buffer = {flatten(tensors)};
            m_group->allreduce(buffer)->wait();
            unflatten(buffer[0], tensors);
        } catch (const std::exception& e) {
            return core::Status::failure(std::string("all-reduce failed: ") + e.what());
        }
        return {};
    }

    core::Status broadcast(std::vector<torch::Tensor>& tensors, int root) override {
        if (tensors.empty()) return {};
        try {
            std::vector<at::Tensor> buffer = {flatten(tensors)};
            c10d::BroadcastOptions options;
            options.rootRank = root;
            m_group->broadcast(buffer, options)->wait();
            unflatten(buffer[0], tensors);
        } catch (const std::exception& e) {
            return core::Status::failure(std::string("broadcast failed: ") + e.what());
        }
        return {};
    }

private:
    c10::intrusive_ptr<c10d::ProcessGroupGloo> m_group;
    int m_rank, m_world;
};

}  // namespace

bool DistributedGroup::available() { return true; }

core::Result<std::unique_ptr<DistributedGroup>> DistributedGroup::connect(
    const DistributedSettings& s) {
    const std::string where = s.masterAddress + ":" + std::to_string(s.masterPort);
    if (s.worldSize < 1 || s.rank < 0 || s.rank >= s.worldSize)
        return core::Error{"distributed: rank " + std::to_string(s.rank) + " of " +
                           std::to_string(s.worldSize) + " processes is not valid"};
    if (s.masterPort < 1 || s.masterPort > 65535)
        return core::Error{"distributed: master port " + std::to_string(s.masterPort) +
                           " is not a TCP port"};
    try {
        c10d::TCPStoreOptions storeOptions;
        storeOptions.port = static_cast<std::uint16_t>(s.masterPort);
        storeOptions.isServer = s.rank == 0;
        storeOptions.numWorkers = static_cast<std::size_t>(s.worldSize);
        storeOptions.waitWorkers = true;
        storeOptions.timeout = s.timeout;
        auto store = c10::make_intrusive<c10d::TCPStore>(s.masterAddress, storeOptions);
        auto options = c10d::ProcessGroupGloo::Options::create(s.timeout);
        // On one host, talk over loopback; across hosts, over the interface this host's name
        // resolves to (GLOO_SOCKET_IFNAME picks another, as in PyTorch).
        const bool local = s.masterAddress == "127.0.0.1" || s.masterAddress == "localhost";
        options->devices.push_back(local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                         : c10d::ProcessGroupGloo::createDefaultDevice());
        auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, s.rank, s.worldSize, options);
        return std::unique_ptr<DistributedGroup>(new GlooGroup(std::move(group), s.rank, s.worldSize));
    } catch (const std::exception& e) {
        return core::Error{"distributed: cannot join the group at " + where + " as rank " +
                           std::to_string(s.rank) + ": " + e.what()};
    }
}

#else

bool DistributedGroup::available() { return false; }

core::Result<std::unique_ptr<DistributedGroup>> DistributedGroup::connect(
    const DistributedSettings&) {
    return core::Error{
        "distributed: this build of Toccata has no c10d/Gloo support (libtorch without "
        "distributed, or gloo headers missing at build time); train with one process"};
}

#endif

}  // namespace toccata::ml
