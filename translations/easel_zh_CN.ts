<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>easel::ui::BatchExportDialog</name>
    <message>
        <source>Exporting %1 of %2…</source>
        <translation>正在导出第 %1 张，共 %2 张…</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled: %n image(s) exported.</source>
        <translation>
            <numerusform>已取消：已导出 %n 张图像。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) exported.</source>
        <translation>
            <numerusform>已导出 %n 张图像。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n name(s) were taken; a number was added instead of overwriting.</source>
        <translation>
            <numerusform>有 %n 个文件名已被占用；已在名称后加编号，未覆盖任何文件。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not exported: %1</source>
        <translation>未导出：%1</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>First file: %1</source>
        <translation>第一个文件：%1</translation>
    </message>
    <message>
        <source>Export images</source>
        <translation>导出图像</translation>
    </message>
    <message numerus="yes">
        <source>Export %n selected image(s).</source>
        <translation>
            <numerusform>导出所选的 %n 张图像。</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>File names:</source>
        <translation>文件名：</translation>
    </message>
    <message>
        <source>Placeholders: {date} {time} {seed} {model} {index} {prompt} {width} {height} {name}</source>
        <translation>占位符：{date} {time} {seed} {model} {index} {prompt} {width} {height} {name}</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Quality:</source>
        <translation>质量：</translation>
    </message>
    <message>
        <source>JPEG and WebP quality (PNG is lossless)</source>
        <translation>JPEG 和 WebP 的质量（PNG 为无损）</translation>
    </message>
    <message>
        <source>Shrink to a longest side of</source>
        <translation>缩小到最长边为</translation>
    </message>
    <message>
        <source>Keep the generation parameters in the files</source>
        <translation>在文件中保留生成参数</translation>
    </message>
    <message>
        <source>PNG text chunk or EXIF UserComment, as A1111 writes them; off strips them</source>
        <translation>与 A1111 相同，写入 PNG 文本块或 EXIF UserComment；关闭则去除</translation>
    </message>
    <message>
        <source>CSV sidecar</source>
        <translation>CSV 附带文件</translation>
    </message>
    <message>
        <source>JSON sidecar</source>
        <translation>JSON 附带文件</translation>
    </message>
    <message>
        <source>Choose the folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>easel::ui::CanvasDocument</name>
    <message>
        <source>Invert mask</source>
        <translation>反转蒙版</translation>
    </message>
    <message>
        <source>Cannot open %1: %2. Choose a PNG, JPEG or WebP image.</source>
        <translation>无法打开 %1：%2。请选择 PNG、JPEG 或 WebP 图像。</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>清除蒙版</translation>
    </message>
    <message>
        <source>Extend canvas</source>
        <translation>扩展画布</translation>
    </message>
</context>
<context>
    <name>easel::ui::CanvasPanel</name>
    <message>
        <source>Open Image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.webp *.bmp)</translation>
    </message>
    <message>
        <source>%1 × %2 px, %3 %</source>
        <translation>%1 × %2 像素，%3 %</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>画布</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Open an image (or paste one with Ctrl+V, or drop one on the canvas)</source>
        <translation>打开图像（或用 Ctrl+V 粘贴，或拖放到画布上）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close the image: generations go back to txt2img</source>
        <translation>关闭图像：生成回到文生图</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Paint the mask: where to repaint (B)</source>
        <translation>绘制蒙版：需要重绘的区域 (B)</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>橡皮擦</translation>
    </message>
    <message>
        <source>Erase the mask (E)</source>
        <translation>擦除蒙版 (E)</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Brush diameter in image pixels ([ and ])</source>
        <translation>画笔直径，单位为图像像素（[ 和 ]）</translation>
    </message>
    <message>
        <source>Hardness</source>
        <translation>硬度</translation>
    </message>
    <message>
        <source>Brush edge, soft to hard (Shift+[ and Shift+])</source>
        <translation>画笔边缘，由软到硬（Shift+[ 和 Shift+]）</translation>
    </message>
    <message>
        <source>Mask opacity</source>
        <translation>蒙版不透明度</translation>
    </message>
    <message>
        <source>How strongly the mask is shown (the mask itself is unchanged)</source>
        <translation>蒙版显示的强度（蒙版本身不变）</translation>
    </message>
    <message>
        <source>Invert</source>
        <translation>反转</translation>
    </message>
    <message>
        <source>Invert the mask</source>
        <translation>反转蒙版</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Clear the mask</source>
        <translation>清除蒙版</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z)</source>
        <translation>撤销 (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Redo (Ctrl+Shift+Z or Ctrl+Y)</source>
        <translation>重做（Ctrl+Shift+Z 或 Ctrl+Y）</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Show the whole image (Ctrl+0); wheel zooms, space-drag or middle-drag pans</source>
        <translation>显示整张图像 (Ctrl+0)；滚轮缩放，按住空格拖动或中键拖动平移</translation>
    </message>
    <message>
        <source>Extend canvas</source>
        <translation>扩展画布</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下</translation>
    </message>
    <message>
        <source>Stretch edge</source>
        <translation>拉伸边缘</translation>
    </message>
    <message>
        <source>Neutral grey</source>
        <translation>中性灰</translation>
    </message>
    <message>
        <source>What the new strip starts from; it is added to the mask for outpainting</source>
        <translation>新增区域的初始内容；它会加入蒙版用于扩图</translation>
    </message>
    <message>
        <source>Extend</source>
        <translation>扩展</translation>
    </message>
    <message>
        <source>Add the strip to the image and the mask (undoable)</source>
        <translation>把新区域加到图像和蒙版（可撤销）</translation>
    </message>
</context>
<context>
    <name>easel::ui::CanvasWidget</name>
    <message>
        <source>Open an image, paste one (Ctrl+V) or drop one here to use img2img and inpainting.</source>
        <translation>打开图像、粘贴（Ctrl+V）或拖放到此处，以使用图生图和局部重绘。</translation>
    </message>
    <message>
        <source>Erase mask</source>
        <translation>擦除蒙版</translation>
    </message>
    <message>
        <source>Paint mask</source>
        <translation>绘制蒙版</translation>
    </message>
</context>
<context>
    <name>easel::ui::ControlNetPanel</name>
    <message>
        <source>ControlNet</source>
        <translation>ControlNet</translation>
    </message>
    <message>
        <source>Add a unit</source>
        <translation>添加单元</translation>
    </message>
    <message>
        <source>Remove this unit</source>
        <translation>移除此单元</translation>
    </message>
    <message>
        <source>Unit %1 ✓</source>
        <translation>单元 %1 ✓</translation>
    </message>
    <message>
        <source>Unit %1</source>
        <translation>单元 %1</translation>
    </message>
</context>
<context>
    <name>easel::ui::ControlUnitWidget</name>
    <message>
        <source>The clipboard holds no image.</source>
        <translation>剪贴板中没有图像。</translation>
    </message>
    <message>
        <source>The canvas holds no image.</source>
        <translation>画布上没有图像。</translation>
    </message>
    <message>
        <source>There is no generated image yet.</source>
        <translation>还没有生成的图像。</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Use the image on the clipboard (Ctrl+V)</source>
        <translation>使用剪贴板中的图像（Ctrl+V）</translation>
    </message>
    <message>
        <source>From canvas</source>
        <translation>来自画布</translation>
    </message>
    <message>
        <source>Last result</source>
        <translation>上次结果</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>No image</source>
        <translation>无图像</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Preprocessor</source>
        <translation>预处理器</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Pixel perfect</source>
        <translation>完美像素</translation>
    </message>
    <message>
        <source>Pick the processor resolution that matches the image size</source>
        <translation>自动选择与图像尺寸匹配的预处理分辨率</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Starting step</source>
        <translation>引导介入时机</translation>
    </message>
    <message>
        <source>Ending step</source>
        <translation>引导终止时机</translation>
    </message>
    <message>
        <source>Control mode</source>
        <translation>控制模式</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>My prompt is more important</source>
        <translation>更偏向提示词</translation>
    </message>
    <message>
        <source>ControlNet is more important</source>
        <translation>更偏向 ControlNet</translation>
    </message>
    <message>
        <source>Resize mode</source>
        <translation>缩放模式</translation>
    </message>
    <message>
        <source>Just resize</source>
        <translation>仅调整大小</translation>
    </message>
    <message>
        <source>Crop and resize</source>
        <translation>裁剪后缩放</translation>
    </message>
    <message>
        <source>Resize and fill</source>
        <translation>缩放后填充</translation>
    </message>
    <message>
        <source>None (image as given)</source>
        <translation>无（直接使用图像）</translation>
    </message>
    <message>
        <source>Canny edges</source>
        <translation>Canny 边缘</translation>
    </message>
    <message>
        <source>Scribble / sketch (threshold)</source>
        <translation>涂鸦 / 草图（阈值）</translation>
    </message>
    <message>
        <source>Line art (difference of Gaussians)</source>
        <translation>线稿（高斯差分）</translation>
    </message>
    <message>
        <source>Soft edge (Gaussian + Sobel)</source>
        <translation>软边缘（高斯 + Sobel）</translation>
    </message>
    <message>
        <source>Tile / blur (down-sample)</source>
        <translation>分块 / 模糊（降采样）</translation>
    </message>
    <message>
        <source>Content shuffle</source>
        <translation>内容重组</translation>
    </message>
    <message>
        <source>Invert (white background, black lines)</source>
        <translation>反相（白底黑线）</translation>
    </message>
    <message>
        <source>Depth (MiDaS/DPT ONNX)</source>
        <translation>深度（MiDaS/DPT ONNX）</translation>
    </message>
    <message>
        <source>Normal map (NormalBAE ONNX)</source>
        <translation>法线贴图（NormalBAE ONNX）</translation>
    </message>
    <message>
        <source>OpenPose body (ONNX, one person)</source>
        <translation>OpenPose 身体姿态（ONNX，单人）</translation>
    </message>
    <message>
        <source>Segmentation ADE20K (ONNX)</source>
        <translation>语义分割 ADE20K（ONNX）</translation>
    </message>
    <message>
        <source>Low Threshold</source>
        <translation>低阈值</translation>
    </message>
    <message>
        <source>High Threshold</source>
        <translation>高阈值</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>Invert (dark lines on light)</source>
        <translation>反相（浅底深线）</translation>
    </message>
    <message>
        <source>Gaussian Sigma</source>
        <translation>高斯 Sigma</translation>
    </message>
    <message>
        <source>Threshold Offset</source>
        <translation>阈值偏移</translation>
    </message>
    <message>
        <source>Down Sampling Rate</source>
        <translation>降采样倍率</translation>
    </message>
    <message>
        <source>%1 could not be opened as an image: %2</source>
        <translation>无法将 %1 作为图像打开：%2</translation>
    </message>
    <message>
        <source>Choose a control image</source>
        <translation>选择控制图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.webp *.bmp)</translation>
    </message>
    <message>
        <source>This preprocessor needs OpenCV DNN, which this build lacks. Use a ready-made control image with "none".</source>
        <translation>此预处理器需要 OpenCV DNN，但当前版本未包含。请使用现成的控制图像并选择“none”。</translation>
    </message>
    <message>
        <source>This preprocessor needs its model file %1.onnx. Put it into %2 or set EASEL_ANNOTATORS to its folder.</source>
        <translation>此预处理器需要模型文件 %1.onnx。请将其放入 %2，或将 EASEL_ANNOTATORS 设为其所在文件夹。</translation>
    </message>
    <message>
        <source>an "annotators" folder beside the ControlNet model</source>
        <translation>ControlNet 模型旁的“annotators”文件夹</translation>
    </message>
</context>
<context>
    <name>easel::app::EngineController</name>
    <message>
        <source>System information</source>
        <translation>系统信息</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>正在启动</translation>
    </message>
</context>
<context>
    <name>easel::ui::GalleryPanel</name>
    <message>
        <source>Search prompts…</source>
        <translation>搜索提示词…</translation>
    </message>
    <message>
        <source>Favourites</source>
        <translation>收藏</translation>
    </message>
    <message>
        <source>Reuse parameters</source>
        <translation>复用参数</translation>
    </message>
    <message>
        <source>Put this image's prompt and parameters into the prompt box and the parameters panel</source>
        <translation>把这张图像的提示词和参数填入提示词框和参数面板</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>收藏</translation>
    </message>
    <message>
        <source>Send to img2img/inpaint</source>
        <translation>发送到图生图/局部重绘</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move the image file to the trash and remove it from the gallery (Del)</source>
        <translation>把图像文件移到回收站并从图库中移除 (Del)</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Put the last deleted image back</source>
        <translation>恢复最近删除的图像</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Negative prompt: %1</source>
        <translation>反向提示词：%1</translation>
    </message>
    <message>
        <source>Seed: %1, Size: %2x%3, Model: %4</source>
        <translation>种子：%1，尺寸：%2x%3，模型：%4</translation>
    </message>
    <message>
        <source>Created: %1</source>
        <translation>创建时间：%1</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>文件：%1</translation>
    </message>
    <message>
        <source>All parameters:</source>
        <translation>全部参数：</translation>
    </message>
    <message>
        <source>The image was not deleted: %1</source>
        <translation>图像未删除：%1</translation>
    </message>
    <message>
        <source>The image could not be restored: %1</source>
        <translation>无法恢复图像：%1</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Export the selected images to a folder (Ctrl/Shift-click to select several)</source>
        <translation>将所选图像导出到文件夹（按住 Ctrl/Shift 单击可多选）</translation>
    </message>
</context>
<context>
    <name>easel::ui::InpaintOptionsPanel</name>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>img2img</source>
        <translation>图生图</translation>
    </message>
    <message>
        <source>Inpaint</source>
        <translation>局部重绘</translation>
    </message>
    <message>
        <source>img2img redraws the whole image; inpaint redraws where the mask is painted.</source>
        <translation>图生图重绘整张图像；局部重绘只重绘蒙版区域。</translation>
    </message>
    <message>
        <source>Denoising strength</source>
        <translation>重绘幅度</translation>
    </message>
    <message>
        <source>How much may change: 0 keeps the image, 1 ignores it.</source>
        <translation>允许改变的程度：0 保持原图，1 完全忽略原图。</translation>
    </message>
    <message>
        <source>Resize mode</source>
        <translation>缩放模式</translation>
    </message>
    <message>
        <source>Just resize</source>
        <translation>仅调整大小</translation>
    </message>
    <message>
        <source>Crop and resize</source>
        <translation>裁剪后缩放</translation>
    </message>
    <message>
        <source>Resize and fill</source>
        <translation>缩放后填充</translation>
    </message>
    <message>
        <source>Mask blur</source>
        <translation>蒙版模糊</translation>
    </message>
    <message>
        <source>Mask mode</source>
        <translation>蒙版模式</translation>
    </message>
    <message>
        <source>Inpaint masked</source>
        <translation>重绘蒙版内容</translation>
    </message>
    <message>
        <source>Inpaint not masked</source>
        <translation>重绘非蒙版内容</translation>
    </message>
    <message>
        <source>Masked content</source>
        <translation>蒙版区域内容</translation>
    </message>
    <message>
        <source>fill</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>original</source>
        <translation>原图</translation>
    </message>
    <message>
        <source>latent noise</source>
        <translation>潜空间噪声</translation>
    </message>
    <message>
        <source>latent nothing</source>
        <translation>潜空间置零</translation>
    </message>
    <message>
        <source>Inpaint area</source>
        <translation>重绘区域</translation>
    </message>
    <message>
        <source>Whole picture</source>
        <translation>整张图片</translation>
    </message>
    <message>
        <source>Only masked</source>
        <translation>仅蒙版区域</translation>
    </message>
    <message>
        <source>Only masked: the masked region plus padding is upscaled to the generation size, redrawn and pasted back.</source>
        <translation>仅蒙版区域：蒙版区域加上边距被放大到生成尺寸，重绘后贴回原处。</translation>
    </message>
    <message>
        <source>Only masked padding</source>
        <translation>仅蒙版区域边距</translation>
    </message>
</context>
<context>
    <name>easel::app::JobQueueModel</name>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>%1 %2/%3, %4 s left</source>
        <translation>%1 %2/%3，剩余 %4 秒</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>(empty prompt)</source>
        <translation>（空提示词）</translation>
    </message>
</context>
<context>
    <name>easel::ui::LoRAMixWidget</name>
    <message>
        <source>Separate text encoder / UNet weights</source>
        <translation>分别设置文本编码器 / UNet 权重</translation>
    </message>
    <message>
        <source>Insert trigger words</source>
        <translation>插入触发词</translation>
    </message>
    <message>
        <source>Adds the trigger words of the enabled LoRAs to the prompt</source>
        <translation>将已启用 LoRA 的触发词加入提示词</translation>
    </message>
    <message>
        <source>Click a LoRA above to add it to the mix.</source>
        <translation>点击上方的 LoRA 将其加入组合。</translation>
    </message>
    <message>
        <source>Text encoder</source>
        <translation>文本编码器</translation>
    </message>
    <message>
        <source>UNet</source>
        <translation>UNet</translation>
    </message>
    <message>
        <source>Remove from the mix</source>
        <translation>从组合中移除</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
</context>
<context>
    <name>easel::ui::LoRAPanel</name>
    <message numerus="yes">
        <source>%n embedding(s)</source>
        <translation>
            <numerusform>%n 个嵌入</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n LoRA(s)</source>
        <translation>
            <numerusform>%n 个 LoRA</numerusform>
        </translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>嵌入（Embedding）</translation>
    </message>
    <message>
        <source>Search names, trigger words, tags, folders…</source>
        <translation>搜索名称、触发词、标签、文件夹…</translation>
    </message>
    <message>
        <source>Only for the current checkpoint</source>
        <translation>仅显示适用于当前模型的</translation>
    </message>
    <message>
        <source>Only for the current checkpoint (%1)</source>
        <translation>仅显示适用于当前模型的（%1）</translation>
    </message>
    <message>
        <source>Hides models trained for another model family; otherwise they are greyed</source>
        <translation>隐藏为其他模型系列训练的模型；否则它们显示为灰色</translation>
    </message>
</context>
<context>
    <name>easel::ui::MainWindow</name>
    <message>
        <source>Easel</source>
        <translation>Easel</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>System &amp;Information</source>
        <translation>系统信息(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;About Easel</source>
        <translation>关于 Easel(&amp;A)</translation>
    </message>
    <message>
        <source>About Easel</source>
        <translation>关于 Easel</translation>
    </message>
    <message>
        <source>Easel %1 — a native studio for Stable Diffusion.</source>
        <translation>Easel %1 —— 原生 Stable Diffusion 创作工作室。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>反向提示词</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Gallery</source>
        <translation>图库</translation>
    </message>
    <message>
        <source>System Information</source>
        <translation>系统信息</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Prompt (Ctrl+Enter to generate, Ctrl+Up/Down to change a weight)</source>
        <translation>提示词（Ctrl+Enter 生成，Ctrl+上/下 调整权重）</translation>
    </message>
    <message>
        <source>Reading parameters from %1…</source>
        <translation>正在从 %1 读取参数…</translation>
    </message>
    <message>
        <source>Parameters applied from %1</source>
        <translation>已应用 %1 中的参数</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Generation failed: %1</source>
        <translation>生成失败：%1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Queue an image with these prompts and parameters (Ctrl+Enter)</source>
        <translation>用当前提示词和参数排队生成一张图像 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running image (Esc); queued images stay</source>
        <translation>停止正在生成的图像 (Esc)；排队中的图像保留</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>全部取消</translation>
    </message>
    <message>
        <source>Stop the running image and drop every queued one</source>
        <translation>停止正在生成的图像并清空所有排队任务</translation>
    </message>
    <message>
        <source>Generate forever</source>
        <translation>无限生成</translation>
    </message>
    <message>
        <source>Start a new image whenever the queue runs empty</source>
        <translation>队列空闲时自动开始生成新图像</translation>
    </message>
    <message>
        <source>Rescan models</source>
        <translation>重新扫描模型</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>已排队</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Starting: %1</source>
        <translation>开始：%1</translation>
    </message>
    <message>
        <source>sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>%1: step %2/%3, about %4 s left</source>
        <translation>%1：第 %2/%3 步，约剩 %4 秒</translation>
    </message>
    <message numerus="yes">
        <source>Done: %n image(s) in %1</source>
        <translation>
            <numerusform>完成：%n 张图像，位于 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>The images were saved but could not be added to the gallery: %1</source>
        <translation>图像已保存，但无法加入图库：%1</translation>
    </message>
    <message>
        <source>Scanning model folders…</source>
        <translation>正在扫描模型文件夹…</translation>
    </message>
    <message>
        <source>The model folders could not be scanned: %1</source>
        <translation>无法扫描模型文件夹：%1</translation>
    </message>
    <message>
        <source>Models: %1 checkpoints, %2 LoRAs, %3 embeddings, %4 VAEs</source>
        <translation>模型：%1 个大模型，%2 个 LoRA，%3 个嵌入，%4 个 VAE</translation>
    </message>
    <message>
        <source>The parameters of this image could not be read: %1</source>
        <translation>无法读取这张图像的参数：%1</translation>
    </message>
    <message>
        <source>Generate an image or open one to start.
Drop an image here to see its parameters (PNG Info).</source>
        <translation>生成一张图像或打开一张图像以开始。
将图像拖放到此处可查看其生成参数（PNG 信息）。</translation>
    </message>
    <message>
        <source>PNG &amp;Info…</source>
        <translation>PNG 信息(&amp;I)…</translation>
    </message>
    <message>
        <source>Show the generation parameters stored in an image and apply them</source>
        <translation>显示图像中保存的生成参数并应用</translation>
    </message>
    <message>
        <source>PNG Info</source>
        <translation>PNG 信息</translation>
    </message>
    <message>
        <source>Images (%1)</source>
        <translation>图像 (%1)</translation>
    </message>
    <message>
        <source>models %1 (the current choice was kept)</source>
        <translation>模型 %1（保留当前选择）</translation>
    </message>
    <message>
        <source>LoRAs %1 (their prompt tags stay but do nothing)</source>
        <translation>LoRA %1（提示词中的标签保留，但不起作用）</translation>
    </message>
    <message>
        <source>Parameters applied, but these are not installed: %1. Put them in the model folders (Settings) and rescan, or pick others.</source>
        <translation>参数已应用，但以下内容未安装：%1。请将它们放入模型文件夹（见“设置”）并重新扫描，或选择其他模型。</translation>
    </message>
    <message>
        <source>The canvas could not be used for this image: %1</source>
        <translation>无法使用画布生成此图像：%1</translation>
    </message>
    <message>
        <source>&amp;Model Manager…</source>
        <translation>模型管理器(&amp;M)…</translation>
    </message>
    <message>
        <source>Not generated: %1</source>
        <translation>未生成：%1</translation>
    </message>
</context>
<context>
    <name>easel::app::ModelLibraryModel</name>
    <message>
        <source>Trained for %1; the current checkpoint is %2. Pick a %1 checkpoint to use it.</source>
        <translation>为 %1 训练；当前模型是 %2。请选择 %1 模型后再使用。</translation>
    </message>
</context>
<context>
    <name>easel::app::ModelListModel</name>
    <message>
        <source>%1
Loaded</source>
        <translation>%1
已加载</translation>
    </message>
</context>
<context>
    <name>easel::ui::ModelManagerDialog</name>
    <message>
        <source>Reading %1 of %2 files…</source>
        <translation>正在读取第 %1 个文件，共 %2 个…</translation>
    </message>
    <message>
        <source>Scanning the model folders…</source>
        <translation>正在扫描模型文件夹…</translation>
    </message>
    <message>
        <source>The model folders could not be scanned: %1</source>
        <translation>无法扫描模型文件夹：%1</translation>
    </message>
    <message>
        <source>Scan stopped. </source>
        <translation>扫描已停止。</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n 个文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n broken or unsupported</source>
        <translation>
            <numerusform>%n 个损坏或不受支持</numerusform>
        </translation>
    </message>
    <message>
        <source>found</source>
        <translation>存在</translation>
    </message>
    <message>
        <source>does not exist</source>
        <translation>不存在</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>broken</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <source>unsupported</source>
        <translation>不受支持</translation>
    </message>
    <message>
        <source>Stopping the scan…</source>
        <translation>正在停止扫描…</translation>
    </message>
    <message>
        <source>Model Manager</source>
        <translation>模型管理器</translation>
    </message>
    <message>
        <source>Model folders (change them in Settings)</source>
        <translation>模型文件夹（可在“设置”中更改）</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Only broken or unsupported</source>
        <translation>仅显示损坏或不受支持的文件</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>系列</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>easel::ui::ParametersPanel</name>
    <message>
        <source>Checkpoint</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>VAE</source>
        <translation>VAE</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>采样器</translation>
    </message>
    <message>
        <source>Schedule type</source>
        <translation>调度类型</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>CFG scale</source>
        <translation>CFG 系数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>-1 picks a random seed</source>
        <translation>-1 表示随机选择种子</translation>
    </message>
    <message>
        <source>Random seed (-1)</source>
        <translation>随机种子（-1）</translation>
    </message>
    <message>
        <source>Reuse the seed of the last image</source>
        <translation>重用上一张图像的种子</translation>
    </message>
    <message>
        <source>Variation seed</source>
        <translation>差异种子</translation>
    </message>
    <message>
        <source>Variation strength</source>
        <translation>差异强度</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>Swap width and height</source>
        <translation>交换宽度和高度</translation>
    </message>
    <message>
        <source>Aspect</source>
        <translation>宽高比</translation>
    </message>
    <message>
        <source>Sizes the chosen checkpoint's family was trained at</source>
        <translation>所选模型系列训练时使用的尺寸</translation>
    </message>
    <message>
        <source>Batch count</source>
        <translation>生成批次</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>每批数量</translation>
    </message>
    <message>
        <source>Clip skip</source>
        <translation>CLIP 跳过层数</translation>
    </message>
    <message>
        <source>RNG source</source>
        <translation>随机数来源</translation>
    </message>
    <message>
        <source>GPU reproduces A1111 seeds made on NVIDIA cards; CPU those made with the CPU generator</source>
        <translation>GPU：复现 A1111 在 NVIDIA 显卡上生成的种子；CPU：复现使用 CPU 随机数生成器的种子</translation>
    </message>
    <message>
        <source>Tiling</source>
        <translation>无缝平铺</translation>
    </message>
    <message>
        <source>Seamless texture: the image wraps around, so copies of it tile without seams</source>
        <translation>无缝纹理：图像首尾相接，多张拼接时没有接缝</translation>
    </message>
    <message>
        <source>Hires. fix</source>
        <translation>高清修复</translation>
    </message>
    <message>
        <source>Upscaler</source>
        <translation>放大算法</translation>
    </message>
    <message>
        <source>Upscale by</source>
        <translation>放大倍数</translation>
    </message>
    <message>
        <source>Hires steps</source>
        <translation>高清修复步数</translation>
    </message>
    <message>
        <source>Same as steps</source>
        <translation>与步数相同</translation>
    </message>
    <message>
        <source>Denoising strength</source>
        <translation>重绘幅度</translation>
    </message>
    <message>
        <source>Resize width to</source>
        <translation>宽度调整为</translation>
    </message>
    <message>
        <source>Resize height to</source>
        <translation>高度调整为</translation>
    </message>
    <message>
        <source>From scale</source>
        <translation>按倍数</translation>
    </message>
</context>
<context>
    <name>easel::ui::PngInfoDialog</name>
    <message>
        <source>PNG Info</source>
        <translation>PNG 信息</translation>
    </message>
    <message>
        <source>PNG Info — %1</source>
        <translation>PNG 信息 — %1</translation>
    </message>
    <message>
        <source>&amp;Prompt</source>
        <translation>提示词(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Negative prompt</source>
        <translation>反向提示词(&amp;N)</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>&amp;Apply to the parameters</source>
        <translation>应用到参数(&amp;A)</translation>
    </message>
    <message>
        <source>Put this image's prompts and parameters into the prompt boxes and the parameters panel</source>
        <translation>将此图像的提示词和参数填入提示词框和参数面板</translation>
    </message>
</context>
<context>
    <name>easel::ui::PromptEdit</name>
    <message>
        <source>Tokens used / tokens available: every 75 tokens start a new chunk</source>
        <translation>已用词元数 / 可用词元数：每 75 个词元开始一个新分块</translation>
    </message>
</context>
<context>
    <name>easel::ui::QueuePanel</name>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected job (a running job is cancelled)</source>
        <translation>移除所选任务（正在运行的任务会被取消）</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Run the selected job earlier</source>
        <translation>提前运行所选任务</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Run the selected job later</source>
        <translation>推后运行所选任务</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>清除已结束</translation>
    </message>
    <message>
        <source>Remove done, failed and cancelled jobs from the list</source>
        <translation>从列表中移除已完成、失败和已取消的任务</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>全部取消</translation>
    </message>
    <message>
        <source>Cancel the running job and every queued one</source>
        <translation>取消正在运行的任务和所有排队任务</translation>
    </message>
</context>
<context>
    <name>easel::ui::ResultView</name>
    <message>
        <source>Use seed</source>
        <translation>使用种子</translation>
    </message>
    <message>
        <source>Put this image's seed into the parameters</source>
        <translation>把这张图像的种子填入参数</translation>
    </message>
    <message>
        <source>Copy parameters</source>
        <translation>复制参数</translation>
    </message>
    <message>
        <source>Copy the A1111 parameters text of this image</source>
        <translation>复制这张图像的 A1111 参数文本</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Show the folder of this image in the file manager</source>
        <translation>在文件管理器中显示这张图像所在的文件夹</translation>
    </message>
    <message>
        <source>Send to img2img/inpaint</source>
        <translation>发送到图生图/局部重绘</translation>
    </message>
    <message>
        <source>Load this image into the canvas</source>
        <translation>把这张图像载入画布</translation>
    </message>
</context>
<context>
    <name>easel::ui::SettingsDialog</name>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>嵌入（Embedding）</translation>
    </message>
    <message>
        <source>VAE</source>
        <translation>VAE</translation>
    </message>
    <message>
        <source>ControlNet</source>
        <translation>ControlNet</translation>
    </message>
    <message>
        <source>Upscalers</source>
        <translation>放大模型</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Automatic (CUDA when available)</source>
        <translation>自动（有 CUDA 时使用 CUDA）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <source>All cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <source>RNG source</source>
        <translation>随机数来源</translation>
    </message>
    <message>
        <source>GPU reproduces A1111 seeds made on NVIDIA cards; CPU those made with the CPU generator</source>
        <translation>GPU：复现 A1111 在 NVIDIA 显卡上生成的种子；CPU：复现使用 CPU 随机数生成器的种子</translation>
    </message>
    <message>
        <source>Live preview every</source>
        <translation>实时预览间隔</translation>
    </message>
    <message>
        <source> steps</source>
        <translation> 步</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Device and thread changes take effect the next time Easel starts.</source>
        <translation>设备和线程数的更改将在下次启动 Easel 时生效。</translation>
    </message>
    <message>
        <source>Output and language</source>
        <translation>输出与语言</translation>
    </message>
    <message>
        <source>File name pattern</source>
        <translation>文件名模式</translation>
    </message>
    <message>
        <source>Placeholders: {index} {seed} {date} {time} {model} {prompt} {width} {height} {sampler} {steps}</source>
        <translation>占位符：{index} {seed} {date} {time} {model} {prompt} {width} {height} {sampler} {steps}</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>easel::app::BatchExport</name>
    <message>
        <source>Cannot create the folder %1. Check its permissions or pick another.</source>
        <translation>无法创建文件夹 %1。请检查其权限或选择其他文件夹。</translation>
    </message>
    <message>
        <source>Cannot write %1. Check that the folder is writable.</source>
        <translation>无法写入 %1。请检查该文件夹是否可写。</translation>
    </message>
</context>
<context>
    <name>easel::ui::ImageParameters</name>
    <message>
        <source>%1 has no generation parameters (it was not made by A1111, civitai or Easel, or its metadata was stripped).</source>
        <translation>%1 不含生成参数（它不是由 A1111、civitai 或 Easel 生成的，或其元数据已被删除）。</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
</TS>