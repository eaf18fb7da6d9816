#pragma once
/// How the padded convolutions of the UNet and the VAE fill their borders: zeros (the trained
/// behaviour) or circular wrap-around, A1111's "Tiling" (seamless textures).
///
/// Ref: A1111 sd_hijack.py apply_circular (called from processing.py process_images_inner with
/// p.tiling): every torch.nn.Conv2d of the loaded model (UNet and VAE, not the ControlNet, which
/// the extension loads separately) gets padding_mode='circular'. A torch Conv2d in circular mode
/// pads its input by wrapping and then convolves with no padding, so only layers with padding > 0
/// change; the explicit constant pad before the VAE encoder's stride-2 downsample stays zeros.
///
/// Here the mode is a per-call argument of UNet::forward and the VAE passes (no module is
/// mutated, nothing is reloaded when it changes between jobs); inside a pass it is held in a
/// thread-local so Conv2d::forward reads it without every block passing it on. Torch-free.

namespace easel::models {

enum class ConvPadding { Zeros, Circular };

/// The mode Conv2d::forward uses on this thread (Zeros unless a ConvPaddingScope is open).
ConvPadding convPadding();

/// Sets the mode of this thread for the scope's lifetime and restores the previous one (nests).
/// Models open one at their entry points; a model that must stay zero-padded (ControlNet) opens
/// a Zeros scope so a caller's mode cannot leak into it.
class ConvPaddingScope {
public:
    explicit ConvPaddingScope(ConvPadding mode);
    ~ConvPaddingScope();
    ConvPaddingScope(const ConvPaddingScope&) = delete;
    ConvPaddingScope& operator=(const ConvPaddingScope&) = delete;

private:
    ConvPadding m_saved;
};

} // namespace easel::models
