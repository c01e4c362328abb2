import { seededRandom, shuffle } from '../src/seeded-random.js';

/**
 * Thousands of distinct reader questions about the article, from templates crossed with the people,
 * places and topics the article names. Distinct strings matter: every cache (query embeddings,
 * answers) misses on them, so a load test measures the real answer path, not a lookup.
 */
const PEOPLE = [
  'Capt. Oleh Shyriaiev',
  'Andriy Chernyak',
  'Cha Du Hyeogn',
  'Kyrylo Budanov',
  'Volodymyr Zelenskyy',
  'Oleh Hryhorov',
  'Vlad',
  'Bulat',
  'Maksym',
  'Volodymyr',
  'Andriy',
  'Putin',
  'Kim Jong Un',
  'the Ukrainian commander',
  'the drone pilot',
  'the South Korean analyst',
];

const PLACES = [
  'Kursk',
  'Sumy',
  'Pyongyang',
  'Seoul',
  'Moscow',
  'Ukraine',
  'Russia',
  'South Korea',
  'the Korean Peninsula',
  'the front line',
  'the border',
  'the Kremlin',
];

const TOPICS = [
  'drones',
  'drone warfare',
  'electronic warfare',
  'the Baba Yaga drone',
  'FPV drones',
  'artillery',
  'casualties',
  'prisoners of war',
  'surrender',
  'the treaty',
  'satellites',
  'laborers',
  'space blankets',
  'heat cameras',
  'mines',
  'military IDs',
  'diaries',
  'training',
  'reinforcements',
  'the ceasefire',
  'nuclear weapons',
  'discipline',
  'tactics',
  'air defense',
];

const GROUPS = [
  'North Korean soldiers',
  'North Korean troops',
  'the North Koreans',
  'Ukrainian special forces',
  'Russian commanders',
  'the captured soldiers',
  'the wounded prisoner',
  'Russian troops',
];

type Slot = 'person' | 'place' | 'topic' | 'group';

/** Each template names the slots it uses, so the whole space can be enumerated without duplicates. */
const TEMPLATES: ReadonlyArray<{ readonly slots: readonly Slot[]; readonly make: (s: Record<Slot, string>) => string }> = [
  { slots: ['person', 'topic'], make: (s) => `What did ${s.person} say about ${s.topic}?` },
  { slots: ['group', 'topic', 'place'], make: (s) => `How did ${s.group} use ${s.topic} in ${s.place}?` },
  { slots: ['place', 'topic'], make: (s) => `Why does ${s.place} worry about ${s.topic}?` },
  { slots: ['group', 'place'], make: (s) => `What happened to ${s.group} in ${s.place}?` },
  { slots: ['person', 'place'], make: (s) => `Who is ${s.person} and what did he say about ${s.place}?` },
  { slots: ['group', 'place'], make: (s) => `How many ${s.group} were in ${s.place}?` },
  { slots: ['group', 'topic'], make: (s) => `When did ${s.group} first encounter ${s.topic}?` },
  { slots: ['topic', 'place'], make: (s) => `What does the article report about ${s.topic} near ${s.place}?` },
  { slots: ['person', 'group'], make: (s) => `According to ${s.person}, how did ${s.group} change?` },
  { slots: ['group', 'topic', 'place'], make: (s) => `Did ${s.group} learn ${s.topic} quickly in ${s.place}?` },
  { slots: ['topic', 'group'], make: (s) => `What role did ${s.topic} play for ${s.group}?` },
  { slots: ['person', 'group'], make: (s) => `Where did ${s.person} see ${s.group}?` },
  { slots: ['group', 'topic'], make: (s) => `How did ${s.group} react to ${s.topic}?` },
  { slots: ['topic', 'place'], make: (s) => `What is known about ${s.topic} and ${s.place}?` },
  { slots: ['group', 'place'], make: (s) => `Why were ${s.group} sent to ${s.place}?` },
  { slots: ['group', 'place'], make: (s) => `What did ${s.group} carry when they reached ${s.place}?` },
  { slots: ['person', 'topic', 'place'], make: (s) => `Did ${s.person} talk about ${s.topic} in ${s.place}?` },
];

/** Ways readers open a question; they multiply the space and vary the token length. */
const OPENERS = ['', 'Quick question: ', 'In the NPR story, ', 'Can you tell me: ', 'From the article, '];

const VALUES: Record<Slot, readonly string[]> = { person: PEOPLE, place: PLACES, topic: TOPICS, group: GROUPS };

/** Every question the templates can make, each once (about 60,000). */
function allQuestions(): string[] {
  const out = new Set<string>();
  for (const template of TEMPLATES) {
    let combos: Array<Record<Slot, string>> = [{ person: '', place: '', topic: '', group: '' }];
    for (const slot of template.slots) {
      combos = combos.flatMap((combo) => VALUES[slot].map((value) => ({ ...combo, [slot]: value })));
    }
    for (const combo of combos) {
      const question = template.make(combo);
      for (const opener of OPENERS) out.add(opener === '' ? question : `${opener}${question[0]!.toLowerCase()}${question.slice(1)}`);
    }
  }
  return [...out];
}

/**
 * `count` distinct questions in a deterministic order for `seed` (the same seed always yields the same
 * list; different seeds, different orders). Throws RangeError if more are asked for than exist.
 */
export function distinctQuestions(count: number, seed = 1): string[] {
  const all = allQuestions();
  if (count > all.length) throw new RangeError(`only ${all.length} distinct questions exist, ${count} were asked for`);
  return shuffle(all, seededRandom(seed)).slice(0, count);
}
