#pragma once
// Precompiled header of the engine: the torch headers cost ~20 s per translation unit otherwise.
// Only engine/ (and engine tests that REUSE_FROM easel_engine) ever see this.
#include <torch/torch.h>
