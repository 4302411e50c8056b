// Plan page: clicking a fact highlights its span(s) in the source text, and back.
"use strict";
(function () {
  const marks = Array.from(document.querySelectorAll("#source-text mark"));
  function show(n, scrollText) {
    document.querySelectorAll(".fact.active, mark.active").forEach((el) => el.classList.remove("active"));
    const mine = marks.filter((m) => m.dataset.facts.split(" ").includes(n));
    mine.forEach((m) => m.classList.add("active"));
    const fact = document.querySelector(`.fact[data-fact="${n}"]`);
    if (fact) fact.classList.add("active");
    if (scrollText && mine.length) {  // scroll the text box only, not the page
      const box = document.getElementById("source-text");
      box.scrollTo({ top: mine[0].offsetTop - box.clientHeight / 3, behavior: "smooth" });
    }
    return fact;
  }
  document.querySelectorAll(".fact").forEach((fact) => {
    const activate = () => show(fact.dataset.fact, true);
    fact.addEventListener("click", activate);
    fact.addEventListener("keydown", (e) => { if (e.key === "Enter") activate(); });
  });
  marks.forEach((m) => m.addEventListener("click", () => {
    const n = m.dataset.facts.split(" ")[0];
    const fact = show(n, false);
    if (fact) fact.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }));
  const hit = marks.find((m) => m.dataset.facts.split(" ").includes("hit"));
  if (hit) { show("hit", true); }
})();
