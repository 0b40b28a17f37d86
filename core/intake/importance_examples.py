"""Sentences written for Mnemo's importance classifier (core/intake/importance.py), by kind of
memory. TRAIN teaches it; HELD_OUT, written at the same time and never used for training,
measures it (tests/core/intake/test_importance.py, docs/results.md)."""

# kind -> (importance 0..1, the reason a person reads)
KINDS = {
    "health": (0.95, "health: medication, allergies or a condition"),
    "codes": (0.9, "a code, number or identifier to keep"),
    "people": (0.85, "people and relationships"),
    "place": (0.85, "where someone lives or an address"),
    "dates": (0.85, "a date or an appointment"),
    "work": (0.8, "work or study"),
    "money": (0.8, "money"),
    "plan": (0.75, "a plan or an intention"),
    "preference": (0.7, "what the user likes or prefers"),
    "everyday": (0.45, "an everyday detail"),
    "smalltalk": (0.1, "small talk"),
}

TRAIN = {
    "health": [
        "I'm allergic to penicillin.", "I take 10 mg of ramipril every morning for my blood pressure.",
        "The doctor said I have type 2 diabetes.", "I can't eat gluten, I have coeliac disease.",
        "My asthma inhaler is the blue one, two puffs when needed.", "I had knee surgery in 2019.",
        "My blood type is O negative.", "I get migraines when I don't sleep enough.",
        "The vet set Pixel's insulin to 2 units twice a day.", "I'm on antidepressants, sertraline 50 mg.",
        "Bee stings make me swell up badly, I carry an EpiPen.", "My cholesterol was 6.2 at the last test.",
        "I wear glasses, minus 3.5 in both eyes.", "My mother has Alzheimer's.",
    ],
    "codes": [
        "The garage code is 4417.", "My passport number is X1234567.", "The wifi password is sunflower42.",
        "My bike lock combination is 2290.", "Our door entry code is 1985#.", "My frequent flyer number is 889120334.",
        "The alarm PIN is 6033.", "My licence plate is AB12 CDE.", "My locker at the gym is number 214.",
        "The account number ends in 4410.", "My employee ID is E-55213.", "The booking reference is QX7TPL.",
    ],
    "people": [
        "My sister Anna is an architect.", "My manager is called Priya Shah.", "Tom is my older brother.",
        "My best friend from school is Jonas.", "I'm married to Sam.", "My daughter Lily just turned six.",
        "Our neighbour Mrs Patel feeds the cat when we travel.", "My therapist is Dr. Weiss.",
        "My dog is called Biscuit.", "We adopted a cat named Miso in October.", "My grandfather was a sailor.",
        "Maria is my colleague in the design team.", "My partner's name is Alex.",
    ],
    "place": [
        "My sister lives in Lisbon.", "I moved to Bristol last month.", "Our address is 14 Elm Street, Leeds.",
        "My parents live in a village near Porto.", "The new flat is on the third floor in Clifton.",
        "I grew up in Kraków.", "My office is in the Canary Wharf building.", "Tom lives in Berlin now.",
        "We keep the boat at the marina in Brixham.", "The spare key is with the neighbour at number 12.",
    ],
    "dates": [
        "Dentist appointment on Thursday at 14:30.", "Tom's birthday is on 12 June.",
        "The flight to Kyoto leaves on 3 March at 7:40.", "Our wedding anniversary is 21 September.",
        "The car's MOT is due in April.", "Parents' evening is next Tuesday at 6.",
        "My passport expires in August 2027.", "The lease ends on 30 November.",
        "Check-up with Dr. Okafor on 12 March.", "Lily's school play is on Friday the 9th.",
    ],
    "work": [
        "I accepted the offer from Northwind Studio, starting Monday.", "I work as a nurse at Santa Maria hospital.",
        "I'm a backend developer at a fintech company.", "My contract at the agency ends in June.",
        "I got promoted to team lead.", "I'm studying for the CFA level 2 exam.", "I quit my job at the bank.",
        "The quarterly review with my manager is coming up.", "I'm doing a master's in urban planning.",
    ],
    "money": [
        "I save 200 euros a month into the holiday account.", "The rent is 1,150 pounds a month.",
        "I owe Tom 60 euros for the concert tickets.", "My salary went up to 54,000.",
        "The mortgage rate is fixed at 3.1% until 2028.", "I pay 12 euros a month for the gym.",
        "The car insurance renewal is 640 pounds.", "I lent Maria 300 for her deposit.",
    ],
    "plan": [
        "I want to run a half marathon next spring.", "We're planning to repaint the kitchen in May.",
        "I'm going to learn Portuguese before the trip.", "Next year I'd like to move closer to my parents.",
        "I plan to ask for a raise in January.", "We're thinking of getting a second dog.",
        "I'm going to visit Anna in Lisbon in May.", "I'll start the new diet after the holidays.",
    ],
    "preference": [
        "I love hiking in the Alps.", "I prefer tea to coffee.", "I hate flying at night.",
        "My favourite band is Radiohead.", "I'm vegetarian.", "Please keep answers short.",
        "I don't like horror films.", "I really enjoy cooking Thai food.", "I'm a big fan of crime novels.",
        "I like to go running along the river before work.",
    ],
    "everyday": [
        "Had pasta for lunch today.", "It rained all afternoon.", "I watched a documentary about whales.",
        "Went to the supermarket after work.", "The train was ten minutes late this morning.",
        "Cleaned the bathroom and did the laundry.", "I read a few chapters before bed.",
        "We walked around the park for an hour.", "Traffic was bad on the way home.",
        "I tried a new coffee place near the office.",
    ],
    "smalltalk": [
        "haha ok", "thanks!", "lol", "Good morning!", "ok cool", "sounds good", "see you later",
        "thank you so much", "yeah", "nice", "hmm", "great, thanks", "bye!", "hi there", "no worries",
        "wow", "okay", "cheers", "that's funny", "sure thing",
    ],
}

HELD_OUT = {
    "health": ["I'm allergic to shellfish.", "I take metformin twice a day.", "My physio said to rest the shoulder.",
               "The cat needs her thyroid pill every evening.", "I've been diagnosed with high blood pressure."],
    "codes": ["The safe combination is 7-31-20.", "My national insurance number is QQ123456C.",
              "The router admin password is kettle99.", "Our parking permit number is 55821."],
    "people": ["My uncle Rafael is a fisherman.", "Grace is my new manager.", "My son is called Ben.",
               "Our babysitter is Chloe from next door."],
    "place": ["Anna moved to Porto.", "My brother lives in Toronto.", "We live on Kingsley Road.",
              "The storage unit is in Croydon."],
    "dates": ["The plumber is coming on Wednesday at 9.", "Mum's birthday is 4 February.",
              "My visa renewal is due on 1 October.", "The concert is on the 18th."],
    "work": ["I start at the new company next week.", "I'm a primary school teacher.",
             "My boss wants the report by Friday."],
    "money": ["I spent 90 euros on the dinner.", "My savings are at 8,000 now.", "The electricity bill was 140."],
    "plan": ["I'm going to sign up for a pottery class.", "We plan to drive to Scotland in August."],
    "preference": ["I adore jazz.", "I can't stand cilantro.", "I prefer the window seat."],
    "everyday": ["Made soup for dinner.", "The bus was packed today.", "I fixed the squeaky door."],
    "smalltalk": ["ok thanks", "haha", "good night!", "cool cool", "right"],
}
