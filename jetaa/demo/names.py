"""Name parts for demo people: a mix like the alumni's own home countries."""

FIRST_NAMES = (
    "Emily", "James", "Sarah", "Michael", "Jessica", "David", "Laura", "Daniel", "Hannah",
    "Christopher", "Rachel", "Matthew", "Megan", "Andrew", "Lauren", "Ryan", "Amy", "Thomas",
    "Rebecca", "Kevin", "Katherine", "Brian", "Sophie", "Liam", "Chloe", "Aidan", "Siobhan",
    "Ciaran", "Niamh", "Oliver", "Charlotte", "Harry", "Isla", "Jack", "Olivia", "Lachlan",
    "Mia", "Aroha", "Tane", "Mei", "Wei", "Priya", "Arjun", "Thandiwe", "Sipho", "Ji-woo",
    "Min-jun", "Lukas", "Anna", "Camille", "Julien", "Mateo", "Valentina", "Sofia", "Lucas",
    "Grace", "Nathan", "Zoe", "Marcus", "Aisha", "Kenji", "Yuki", "Naomi", "Hiroshi", "Erin",
    "Sean", "Fiona", "Callum", "Eilidh", "Rhys", "Ffion", "Maya", "Noah", "Ava", "Ethan",
    "Jasmine", "Tariq", "Leila", "Björn", "Zoë", "Renée", "José", "Chiara", "Dmitri", "Olga",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green",
    "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips",
    "Evans", "Turner", "Murphy", "O'Brien", "Kelly", "Byrne", "Walsh", "MacDonald", "Fraser",
    "Stewart", "Morrison", "Tremblay", "Gagnon", "Roy", "Côté", "Wong", "Chen", "Lee", "Nguyen",
    "Patel", "Singh", "Kim", "Park", "Ngata", "Te Whata", "Nkosi", "Dlamini", "Müller",
    "Schmidt", "Dubois", "Lefèvre", "Rossi", "Fernández", "López", "Silva", "Santos", "Tanaka",
    "Suzuki", "Sato", "Nakamura", "Yamamoto", "Watanabe", "Ito", "Kobayashi", "Ivanov", "Novak",
    "Jansen", "de Vries", "Brennan", "Gallagher", "Sullivan", "Reid", "Hughes", "Edwards",
)
# Each prefecture's capital, by JIS code: most demo placements are near one.
PREFECTURE_CAPITALS = (
    "Sapporo", "Aomori", "Morioka", "Sendai", "Akita", "Yamagata", "Fukushima", "Mito",
    "Utsunomiya", "Maebashi", "Saitama", "Chiba", "Shinjuku", "Yokohama", "Niigata", "Toyama",
    "Kanazawa", "Fukui", "Kofu", "Nagano", "Gifu", "Shizuoka", "Nagoya", "Tsu", "Otsu", "Kyoto",
    "Osaka", "Kobe", "Nara", "Wakayama", "Tottori", "Matsue", "Okayama", "Hiroshima",
    "Yamaguchi", "Tokushima", "Takamatsu", "Matsuyama", "Kochi", "Fukuoka", "Saga", "Nagasaki",
    "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Naha",
)
OCCUPATIONS = (
    "Teacher", "Translator", "Software engineer", "Diplomat", "Civil servant", "Lawyer",
    "Researcher", "Marketing manager", "Project manager", "Interpreter", "Journalist",
    "Consultant", "University lecturer", "Nurse", "Product designer", "Tour operator",
    "Student", "Nonprofit director", "Accountant", "Recruiter",
)
# Alumni of Japanese heritage often write their name in Japanese script: some demo people do
# (family name first), so that a search for 田中 or たなか finds someone.
JAPANESE_NAMES = (
    "田中 花子", "田中 健一", "佐藤 美咲", "鈴木 大輔", "高橋 由美", "伊藤 翔太", "渡辺 愛",
    "山本 直樹", "中村 さくら", "小林 亮", "加藤 恵", "吉田 拓也", "山田 結衣", "松本 誠",
    "井上 彩", "木村 蓮", "林 陽子", "清水 健太", "タナカ エミ", "サトウ ケン", "ナカムラ リサ",
)
