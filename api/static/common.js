// Shared helpers for the kehoach pages (no dependencies).
"use strict";
const KH = {
  escape(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  },
  // Vietnamese folding: lower case, no tone marks or diacritics, đ -> d (same length per character).
  fold(text) {
    return Array.from(String(text).toLowerCase())
      .map((c) => (c === "đ" ? "d" : c.normalize("NFD").replace(/[\u0300-\u036f]/g, "")))
      .join("");
  },
  download(name, type, content) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const link = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.appendChild(link); link.click(); link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },
  async errorText(response) {
    const text = await response.text();
    try { return JSON.parse(text).detail || text; } catch (e) { return text; }
  },
};
