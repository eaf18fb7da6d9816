// build*/ is not scanned.
#include <QWidget>
#include <torch/torch.h>
