/**
 * Synthetic people with known truth for the match-quality bench: households (shared surname,
 * address, landline), twins, common names, and duplicate records of one person carrying the
 * corruptions real customer data has. Deterministic for a seed.
 */
import type { RawPerson } from '../../libs/identity/feature/src/domain/matching';

export interface BenchRecord extends RawPerson {
  id: string;
  /** The person this record describes (the truth). */
  personId: string;
  /** The corruptions applied to this record, for the error analysis. */
  corruptions: string[];
}

/** mulberry32: a tiny, good-enough seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'robert',
  'william',
  'elizabeth',
  'margaret',
  'richard',
  'james',
  'john',
  'michael',
  'catherine',
  'thomas',
  'christopher',
  'joseph',
  'daniel',
  'matthew',
  'anthony',
  'edward',
  'alexander',
  'andrew',
  'benjamin',
  'charles',
  'david',
  'stephen',
  'samuel',
  'patricia',
  'jennifer',
  'susan',
  'rebecca',
  'victoria',
  'nicholas',
  'timothy',
  'emma',
  'olivia',
  'sophia',
  'isabella',
  'mia',
  'amelia',
  'harper',
  'evelyn',
  'abigail',
  'emily',
  'ella',
  'grace',
  'chloe',
  'lily',
  'hannah',
  'noah',
  'liam',
  'mason',
  'ethan',
  'lucas',
  'oliver',
  'aiden',
  'logan',
  'jacob',
  'jackson',
  'sebastian',
  'henry',
  'owen',
  'wyatt',
  'leo',
  'julian',
  'levi',
  'isaac',
  'gabriel',
  'anna',
  'laura',
  'sarah',
  'julia',
  'maria',
  'marie',
  'paul',
  'mark',
  'peter',
  'george',
  'frank',
  'ruth',
  'helen',
  'alice',
  'clara',
  'nora',
  'zoe',
  'ava',
  'ivy',
  'ian',
  'adam',
  'eric',
  'ryan',
  'kevin',
  'brian',
  'jason',
  'justin',
  'aaron',
  'nathan',
  'kyle',
  'sean',
  'dylan',
  'tyler',
];
const LAST = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'jones',
  'garcia',
  'miller',
  'davis',
  'rodriguez',
  'martinez',
  'hernandez',
  'lopez',
  'gonzalez',
  'wilson',
  'anderson',
  'thomas',
  'taylor',
  'moore',
  'jackson',
  'martin',
  'lee',
  'perez',
  'thompson',
  'white',
  'harris',
  'sanchez',
  'clark',
  'ramirez',
  'lewis',
  'robinson',
  'walker',
  'young',
  'allen',
  'king',
  'wright',
  'scott',
  'torres',
  'nguyen',
  'hill',
  'flores',
  'green',
  'adams',
  'nelson',
  'baker',
  'hall',
  'rivera',
  'campbell',
  'mitchell',
  'carter',
  'roberts',
  'schmidt',
  'schneider',
  'fischer',
  'weber',
  'meyer',
  'wagner',
  'becker',
  'schulz',
  'hoffmann',
  'koch',
  'richter',
  'klein',
  'wolf',
  'neumann',
  'schwarz',
  'zimmermann',
  'braun',
  'hartmann',
  'kruger',
  'lange',
  'okafor',
  'kowalski',
  'novak',
  'dubois',
  'rossi',
  'russo',
  'ferrari',
  'esposito',
  'bianchi',
  'romano',
  'colombo',
  'ricci',
  'marino',
  'greco',
  'bruno',
  'gallo',
  'conti',
  'deluca',
  'costa',
  'giordano',
  'mancini',
  'rizzo',
  'lombardi',
  'moretti',
  'oconnor',
  'murphy',
  'kelly',
  'sullivan',
  'walsh',
  'byrne',
  'ryan',
  'obrien',
];
const STREETS = [
  'high',
  'station',
  'main',
  'park',
  'church',
  'victoria',
  'green',
  'manor',
  'kings',
  'queens',
  'mill',
  'school',
  'north',
  'south',
  'west',
  'east',
  'london',
  'chestnut',
  'oak',
  'elm',
  'maple',
  'cedar',
  'willow',
  'birch',
  'meadow',
  'river',
  'bridge',
  'market',
  'castle',
  'windsor',
];
const SUFFIX = ['street', 'road', 'avenue', 'lane', 'drive', 'close', 'way', 'court'];
const NICK: Record<string, string[]> = {
  robert: ['bob', 'rob', 'bobby'],
  william: ['bill', 'will', 'billy'],
  elizabeth: ['liz', 'beth', 'lizzie'],
  margaret: ['maggie', 'peggy', 'meg'],
  richard: ['rick', 'dick'],
  james: ['jim', 'jimmy'],
  john: ['jack', 'johnny'],
  michael: ['mike'],
  catherine: ['kate', 'cathy'],
  thomas: ['tom', 'tommy'],
  christopher: ['chris'],
  joseph: ['joe'],
  daniel: ['dan', 'danny'],
  matthew: ['matt'],
  anthony: ['tony'],
  edward: ['ed', 'ted'],
  alexander: ['alex'],
  andrew: ['andy'],
  benjamin: ['ben'],
  charles: ['charlie'],
  david: ['dave'],
  stephen: ['steve'],
  samuel: ['sam'],
  patricia: ['pat', 'trish'],
  jennifer: ['jen', 'jenny'],
  susan: ['sue'],
  rebecca: ['becky'],
  victoria: ['vicky'],
  nicholas: ['nick'],
  timothy: ['tim'],
  abigail: ['abby'],
  henry: ['harry'],
  peter: ['pete'],
};
const DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'web.de', 'icloud.com', 'proton.me'];

interface Person {
  id: string;
  first: string;
  last: string;
  dob: string;
  street: string;
  postcode: string;
  phone: string;
  email: string;
}

export interface GenerateOptions {
  seed: number;
  people: number;
}

export function generate({ seed, people }: GenerateOptions): BenchRecord[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  /** Zipf-like: common names far more often than rare ones (real name frequencies are skewed). */
  const zipf = <T>(xs: readonly T[]): T =>
    xs[Math.min(xs.length - 1, Math.floor(xs.length * r() ** 2.2))];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const pad = (n: number) => String(n).padStart(2, '0');
  const dob = () =>
    `${1950 + Math.floor(r() * 55)}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`;
  const address = () => ({
    street: `${1 + Math.floor(r() * 180)} ${pick(STREETS)} ${pick(SUFFIX)}`,
    // A few dense areas: many people share an outward code.
    postcode: `${pick(['SW', 'NW', 'E', 'N', 'W', 'SE', 'EC', 'M', 'B', 'LS'])}${1 + Math.floor(r() * 20)}${Math.floor(r() * 10)}${pick([...'ABDEFGHJLNPQRSTUWXYZ'])}${pick([...'ABDEFGHJLNPQRSTUWXYZ'])}`,
  });
  const mobile = () => `447${digits(9)}`;

  const persons: Person[] = [];
  let n = 0;
  const newPerson = (over: Partial<Person> = {}): Person => {
    const first = over.first ?? zipf(FIRST);
    const last = over.last ?? zipf(LAST);
    const p: Person = {
      id: `person-${++n}`,
      first,
      last,
      dob: over.dob ?? dob(),
      ...(over.street ? { street: over.street, postcode: over.postcode! } : address()),
      phone: over.phone ?? mobile(),
      email: `${first}.${last}${Math.floor(r() * 1000)}@${pick(DOMAINS)}`,
    };
    persons.push(p);
    return p;
  };

  while (persons.length < people) {
    const roll = r();
    if (roll < 0.25) {
      // A household: shared surname (mostly), address, sometimes a landline used by all.
      const head = newPerson();
      const landline = r() < 0.3 ? `44${digits(9)}` : undefined;
      if (landline) head.phone = landline;
      const size = 1 + Math.floor(r() * 3);
      for (let i = 0; i < size; i++) {
        newPerson({
          last: r() < 0.85 ? head.last : undefined,
          street: head.street,
          postcode: head.postcode,
          phone: landline,
        });
      }
      if (r() < 0.15) {
        // Twins: same surname, birth date, home; different given names.
        const twinA = newPerson({ last: head.last, street: head.street, postcode: head.postcode });
        let other = zipf(FIRST);
        while (other === twinA.first) other = zipf(FIRST);
        newPerson({
          first: other,
          last: head.last,
          dob: twinA.dob,
          street: head.street,
          postcode: head.postcode,
          phone: landline,
        });
      }
    } else {
      newPerson();
    }
  }

  const typo = (s: string): string => {
    if (s.length < 3) return s;
    const i = 1 + Math.floor(r() * (s.length - 2));
    const kind = r();
    if (kind < 0.3) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // transpose
    if (kind < 0.6) return s.slice(0, i) + s.slice(i + 1); // delete
    if (kind < 0.85) return s.slice(0, i) + pick([...'aeioulnrst']) + s.slice(i + 1); // substitute
    return s.slice(0, i) + pick([...'aeioulnrst']) + s.slice(i); // insert
  };
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

  const records: BenchRecord[] = [];
  let k = 0;
  for (const p of persons) {
    // Most people have one record; some two or three (several sign-ups, a CRM import, a shop).
    const copies = r() < 0.6 ? 1 : r() < 0.8 ? 2 : 3;
    for (let c = 0; c < copies; c++) {
      const corruptions: string[] = [];
      let first: string | null = p.first;
      let last: string | null = p.last;
      let birthday: string | null = p.dob;
      let phone: string | null = p.phone;
      let street: string | null = p.street;
      let postcode: string | null = p.postcode;
      let email: string | null = p.email;
      if (c > 0) {
        const nick = NICK[p.first];
        if (nick && r() < 0.15) {
          first = pick(nick);
          corruptions.push('nickname');
        }
        if (r() < 0.08) {
          first = typo(first);
          corruptions.push('first-typo');
        }
        if (r() < 0.08) {
          last = typo(last);
          corruptions.push('last-typo');
        }
        if (r() < 0.03) {
          [first, last] = [last, first];
          corruptions.push('swapped-names');
        }
        const d = r();
        if (d < 0.15) {
          birthday = null;
          corruptions.push('no-birthday');
        } else if (d < 0.18 && Number(p.dob.slice(8)) <= 12) {
          birthday = `${p.dob.slice(0, 4)}-${p.dob.slice(8)}-${p.dob.slice(5, 7)}`;
          corruptions.push('dob-transposed');
        } else if (d < 0.21) {
          birthday = `${p.dob.slice(0, 9)}${(Number(p.dob[9]) + 1) % 10 || 1}`;
          corruptions.push('dob-typo');
        }
        const ph = r();
        if (ph < 0.3) {
          phone = null;
          corruptions.push('no-phone');
        } else if (ph < 0.4) {
          phone = `0${p.phone.slice(2)}`;
          corruptions.push('phone-national');
        } else if (ph < 0.5) {
          phone = mobile();
          corruptions.push('new-phone');
        }
        const ad = r();
        if (ad < 0.15) {
          street = null;
          postcode = null;
          corruptions.push('no-address');
        } else if (ad < 0.25) {
          street = typo(p.street);
          corruptions.push('street-typo');
        } else if (ad < 0.3) {
          const moved = address();
          street = moved.street;
          postcode = moved.postcode;
          corruptions.push('moved');
        }
        const em = r();
        if (em < 0.2) {
          email = `${p.email.split('@')[0]}@${pick(DOMAINS.filter((x) => !p.email.endsWith(x)))}`;
          corruptions.push('email-other-domain');
        } else if (em < 0.85) {
          email = `${first}${Math.floor(r() * 10000)}@${pick(DOMAINS)}`;
          corruptions.push('email-other');
        } else {
          email = null;
          corruptions.push('no-email');
        }
      }
      records.push({
        id: `r${String(++k).padStart(6, '0')}`,
        personId: p.id,
        firstName: first === null ? null : cap(first),
        lastName: last === null ? null : cap(last),
        birthday,
        phone: phone === null ? null : r() < 0.5 ? `+${phone}` : phone,
        email,
        street,
        postcode:
          postcode && r() < 0.5 ? `${postcode.slice(0, -3)} ${postcode.slice(-3)}` : postcode,
        corruptions,
      });
    }
  }
  return records;
}
