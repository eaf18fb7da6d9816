#pragma once
// public-headers-plain: torch in a public header.
#include <cstdint>
#include <vector>
#include <torch/torch.h>
