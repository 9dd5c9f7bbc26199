// On the page that redacts text in a paragraph of a disclosure pack: selecting words in the paragraph as
// held fills in the text to redact, so nobody has to copy it by hand (typing or pasting it still works).
const source = document.getElementById("redaction-source");
const target = source && document.getElementById(source.dataset.target);

if (source && target) {
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      return;
    }
    const range = selection.getRangeAt(0);
    if (source.contains(range.commonAncestorContainer)) {
      target.value = selection.toString();
    }
  });
}
