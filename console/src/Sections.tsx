import type { ComponentType } from "react";

/** A page of sections with a navigation between them, each at `#/<base>/<name>`; an unknown
 * or missing section opens the first. */
export function Sections<Name extends string>({
  base,
  label,
  sections,
  current,
  labelOf,
}: {
  base: string;
  label: string;
  sections: Record<Name, ComponentType>;
  current: string | null;
  labelOf: (name: Name) => string;
}) {
  const names = Object.keys(sections) as Name[];
  const chosen = names.find((name) => name === current) ?? (names[0] as Name);
  const Page: ComponentType = sections[chosen];
  return (
    <div className="settings">
      <nav aria-label={label} className="settings__nav">
        {names.map((name) => (
          <a key={name} href={`#/${base}/${name}`} aria-current={chosen === name ? "page" : undefined}>
            {labelOf(name)}
          </a>
        ))}
      </nav>
      <Page />
    </div>
  );
}
