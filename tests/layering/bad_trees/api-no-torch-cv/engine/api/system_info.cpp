// api-no-torch-cv: torch in an engine/api source.
#include "engine/api/system_info.h"
#include <torch/torch.h>
