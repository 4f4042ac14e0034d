// Chart downloads done in the browser: the plot as a PNG (the SVG drawn on a canvas with its computed
// styles inlined, title and legend added) and text the server made (a chart's series as CSV).
window.simclrCharts = (() => {
    const styled = ['fill', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-size', 'font-family', 'font-weight'];

    function save(blob, fileName) {
        const link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    }

    function downloadPng(chartId, fileName) {
        const chart = document.getElementById(chartId);
        const svg = chart && chart.querySelector('svg');
        if (!svg) return;
        const box = svg.getBoundingClientRect();
        const clone = svg.cloneNode(true);
        const from = svg.querySelectorAll('*'), to = clone.querySelectorAll('*');
        for (let i = 0; i < from.length; i++) {
            const computed = getComputedStyle(from[i]);
            for (const property of styled) to[i].style.setProperty(property, computed.getPropertyValue(property));
        }
        clone.querySelectorAll('.hover-guide, .hover-point, .zoom-selection').forEach(e => e.remove());
        clone.setAttribute('width', Math.round(box.width));
        clone.setAttribute('height', Math.round(box.height));
        clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');

        const title = chart.querySelector('.chart-head .mud-typography')?.textContent?.trim() ?? '';
        const legend = [...chart.querySelectorAll('.legend-item')].map(item => ({
            name: item.textContent.trim(), color: getComputedStyle(item.querySelector('.swatch')).backgroundColor,
        }));
        const scale = 2, titleHeight = title ? 28 : 8, legendHeight = legend.length ? 24 : 0;
        const width = Math.round(box.width), height = Math.round(box.height) + titleHeight + legendHeight;
        const image = new Image();
        image.onload = () => {
            const canvas = document.createElement('canvas');
            canvas.width = width * scale;
            canvas.height = height * scale;
            const context = canvas.getContext('2d');
            context.scale(scale, scale);
            context.fillStyle = '#ffffff';
            context.fillRect(0, 0, width, height);
            context.fillStyle = '#222222';
            context.font = '600 14px Roboto, Arial, sans-serif';
            if (title) context.fillText(title, 8, 19);
            context.drawImage(image, 0, titleHeight, box.width, box.height);
            let x = 8;
            context.font = '12px Roboto, Arial, sans-serif';
            for (const entry of legend) {
                context.fillStyle = entry.color;
                context.fillRect(x, titleHeight + box.height + 9, 12, 3);
                context.fillStyle = '#222222';
                context.fillText(entry.name, x + 16, titleHeight + box.height + 15);
                x += 28 + context.measureText(entry.name).width;
            }
            canvas.toBlob(blob => save(blob, fileName), 'image/png');
        };
        image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(clone));
    }

    function downloadText(fileName, text, type) {
        save(new Blob([text], { type: type || 'text/plain' }), fileName);
    }

    return { downloadPng, downloadText };
})();
