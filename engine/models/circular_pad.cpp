#include "engine/models/circular_pad.h"

namespace easel::models {

torch::Tensor padCircular(const torch::Tensor& x, int64_t pad)
{
    TORCH_CHECK(x.dim() >= 2, "padCircular needs a tensor with two spatial dimensions");
    const int64_t dh = x.dim() - 2, dw = x.dim() - 1, h = x.size(dh), w = x.size(dw);
    TORCH_CHECK(pad >= 0 && pad <= h && pad <= w, "circular padding of ", pad, " does not fit a ", h, "x", w,
                " input");
    if (pad == 0)
        return x;
    std::vector<int64_t> shape = x.sizes().vec();
    shape[dh] += 2 * pad;
    shape[dw] += 2 * pad;
    torch::Tensor out = torch::empty(shape, x.options().memory_format(x.suggest_memory_format()));
    // Centre rows first: the image, then its last / first `pad` columns wrapped to the left / right.
    torch::Tensor rows = out.narrow(dh, pad, h);
    rows.narrow(dw, pad, w).copy_(x);
    rows.narrow(dw, 0, pad).copy_(x.narrow(dw, w - pad, pad));
    rows.narrow(dw, pad + w, pad).copy_(x.narrow(dw, 0, pad));
    // Then whole padded rows (corners included): top ← the last `pad` image rows, bottom ← the first.
    out.narrow(dh, 0, pad).copy_(out.narrow(dh, h, pad));
    out.narrow(dh, pad + h, pad).copy_(out.narrow(dh, pad, pad));
    return out;
}

} // namespace easel::models
