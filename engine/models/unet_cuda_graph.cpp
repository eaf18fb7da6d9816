#include "engine/models/unet_cuda_graph.h"

#if defined(EASEL_WITH_CUDA)

#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "engine/models/unet.h"

namespace easel::models {

UNetCudaGraph::UNetCudaGraph(std::shared_ptr<const UNet> unet, int warmupRuns, ConvPadding padding)
    : m_unet(std::move(unet)), m_warmupRuns(std::max(1, warmupRuns)), m_padding(padding)
{
}

UNetCudaGraph::~UNetCudaGraph() = default;

void UNetCudaGraph::checkShape(const torch::Tensor& have, const torch::Tensor& want, const char* what) const
{
    TORCH_CHECK(have.sizes() == want.sizes() && have.scalar_type() == want.scalar_type() &&
                    have.device() == want.device(),
                "UNetCudaGraph: ", what, " ", have.sizes(), " ", have.scalar_type(), " on ", have.device(),
                " differs from the captured ", want.sizes(), " ", want.scalar_type(), " on ", want.device(),
                "; capture a graph per shape");
}

void UNetCudaGraph::capture(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& context,
                            const std::optional<torch::Tensor>& y)
{
    TORCH_CHECK(x.is_cuda(), "UNetCudaGraph needs CUDA inputs");
    // Static buffers: every replay reads its inputs from, and writes its output to, these addresses.
    m_x = x.clone();
    m_t = timesteps.reshape({-1}).clone();
    m_context = context.clone();
    if (y)
        m_y = y->clone();

    // Ref: PyTorch "CUDA Graphs" notes: warm up on a side stream (lazy cuDNN/cuBLAS handles and
    // autotuning must not be captured), then capture on a non-default stream.
    c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool(/*isHighPriority=*/false, x.device().index());
    side.wait(c10::cuda::getCurrentCUDAStream(x.device().index()));
    {
        c10::cuda::CUDAStreamGuard guard(side);
        for (int i = 0; i < m_warmupRuns; ++i)
            m_out = m_unet->forward(m_x, m_t, m_context, m_y, nullptr, m_padding);
        side.synchronize();
        m_graph = std::make_unique<at::cuda::CUDAGraph>();
        m_graph->capture_begin();
        m_out = m_unet->forward(m_x, m_t, m_context, m_y, nullptr, m_padding);
        m_graph->capture_end();
    }
    c10::cuda::getCurrentCUDAStream(x.device().index()).wait(side);
}

torch::Tensor UNetCudaGraph::run(const torch::Tensor& x, const torch::Tensor& timesteps, const torch::Tensor& context,
                                 const std::optional<torch::Tensor>& y)
{
    torch::Tensor t = timesteps.reshape({-1});
    if (t.size(0) == 1 && x.size(0) > 1)
        t = t.expand({x.size(0)});
    if (!m_graph) {
        capture(x, t, context, y);
    } else {
        checkShape(x, m_x, "x");
        checkShape(t, m_t, "timesteps");
        checkShape(context, m_context, "context");
        TORCH_CHECK(y.has_value() == m_y.has_value(), "UNetCudaGraph: adm vector y given/omitted unlike the capture");
        if (y)
            checkShape(*y, *m_y, "y");
    }
    m_x.copy_(x, /*non_blocking=*/true);
    m_t.copy_(t, /*non_blocking=*/true);
    m_context.copy_(context, /*non_blocking=*/true);
    if (y)
        m_y->copy_(*y, /*non_blocking=*/true);
    m_graph->replay();
    return m_out.clone();
}

} // namespace easel::models

#endif
