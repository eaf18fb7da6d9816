// torch-cv-in-engine-only: torch in the Qt adapter.
#include <torch/torch.h>
