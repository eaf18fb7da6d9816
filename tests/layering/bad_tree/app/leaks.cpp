#include <QWidget>
#include <torch/torch.h>
