#include "engine/models/conv_padding.h"

namespace easel::models {

namespace {

/// Per thread: a pass runs on the engine thread, and a second engine (tests, the benchmark) on
/// another thread must not see this one's mode. Torch's intra-op workers never call Conv2d.
thread_local ConvPadding t_mode = ConvPadding::Zeros;

} // namespace

ConvPadding convPadding() { return t_mode; }

ConvPaddingScope::ConvPaddingScope(ConvPadding mode) : m_saved(t_mode) { t_mode = mode; }

ConvPaddingScope::~ConvPaddingScope() { t_mode = m_saved; }

} // namespace easel::models
