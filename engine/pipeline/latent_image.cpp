#include "engine/pipeline/latent_image.h"

#include "engine/api/error.h"

namespace easel::pipeline {

torch::Tensor imageToTensor(const api::Image& image)
{
    if (image.channels != 3 || image.pixels.size() != image.byteSize())
        throw api::Error(api::ErrorCode::Internal, "imageToTensor expects an RGB image");
    torch::Tensor t = torch::from_blob(const_cast<uint8_t*>(image.pixels.data()), {image.height, image.width, 3},
                                       torch::kUInt8)
                          .to(torch::kFloat32);
    return (t / 127.5 - 1.0).permute({2, 0, 1}).unsqueeze(0).contiguous();
}

api::Image tensorToImage(const torch::Tensor& x)
{
    torch::Tensor t = x.dim() == 4 ? x[0] : x;
    t = torch::clamp((t.to(torch::kCPU).to(torch::kFloat32) + 1.0) / 2.0, 0.0, 1.0) * 255.0;
    t = t.permute({1, 2, 0}).to(torch::kUInt8).contiguous(); // float -> uint8 truncates, like numpy astype
    api::Image out;
    out.height = static_cast<int>(t.size(0));
    out.width = static_cast<int>(t.size(1));
    out.channels = 3;
    out.pixels.assign(t.data_ptr<uint8_t>(), t.data_ptr<uint8_t>() + out.byteSize());
    return out;
}

torch::Tensor maskToTensor(const api::Image& mask)
{
    if (mask.channels != 1 || mask.pixels.size() != mask.byteSize())
        throw api::Error(api::ErrorCode::Internal, "maskToTensor expects a single-channel mask");
    return torch::from_blob(const_cast<uint8_t*>(mask.pixels.data()), {1, 1, mask.height, mask.width}, torch::kUInt8)
               .to(torch::kFloat32)
           / 255.0;
}

api::Image latentPreview(const torch::Tensor& latent, io::ModelFamily family)
{
    // Linear latent->RGB factors widely used for cheap previews (SD1/SD2 VAE and SDXL VAE).
    static const float kSd[4][3] = {{0.3512f, 0.2297f, 0.3227f},
                                    {0.3250f, 0.4974f, 0.2350f},
                                    {-0.2829f, 0.1762f, 0.2721f},
                                    {-0.2120f, -0.2616f, -0.7177f}};
    static const float kXl[4][3] = {{0.3651f, 0.4232f, 0.4341f},
                                    {-0.2533f, -0.0042f, 0.1068f},
                                    {0.1076f, 0.1111f, -0.0362f},
                                    {-0.3165f, -0.2492f, -0.2188f}};
    const auto& f = family == io::ModelFamily::SDXL ? kXl : kSd;
    const torch::Tensor factors = torch::from_blob(const_cast<float*>(&f[0][0]), {4, 3}, torch::kFloat32).clone();
    torch::Tensor l = latent.to(torch::kCPU).to(torch::kFloat32);
    if (l.dim() == 4)
        l = l[0];
    const torch::Tensor rgb = torch::einsum("chw,cr->rhw", {l, factors});
    return tensorToImage(rgb);
}

} // namespace easel::pipeline
